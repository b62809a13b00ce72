/**
 * The walking skeleton end to end, live: type a program into Monaco, press
 * Run, and see the engine's answer — the primary's UART output, the backup's
 * discarded copy, log entries counted on the logging channel — and the
 * session's rows really in the workspace SQLite file the server wrote.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { openWebApp, typeIntoEditor, type WebApp } from './harness';

const MESSAGE = 'hi from the primary';
const PROGRAM = [
  '# typed in the browser: print a line on the UART, then exit 0',
  '.equ UART, 0x10000000',
  '.equ FINISHER, 0x00100000',
  '.text',
  '.globl _start',
  '_start:',
  'la a0, msg',
  'li t0, UART',
  'next:',
  'lbu t1, 0(a0)',
  'beqz t1, done',
  'sb t1, 0(t0)',
  'addi a0, a0, 1',
  'j next',
  'done:',
  'li t0, FINISHER',
  'li t1, 0x5555',
  'sw t1, 0(t0)',
  'j done',
  '.data',
  'msg:',
  `.asciz "${MESSAGE}\\n"`,
  '',
].join('\n');

describe('walking skeleton in Chromium (live engine)', () => {
  let app: WebApp;

  beforeAll(async () => {
    app = await openWebApp();
  });
  afterAll(async () => {
    await app?.close();
  });

  it('runs the typed program on primary and backup, shows the output and the log, and records the session in SQLite', async () => {
    const { page } = app;
    await expect.poll(() => page.getByTestId('status').textContent()).toContain('over websocket');
    await typeIntoEditor(page, PROGRAM);
    await page.getByTestId('run').click();

    // The engine's answer: A primary, B its backup; the primary's UART output released, the
    // backup's identical copy discarded (shown for comparison); log entries counted.
    await expect.poll(() => page.getByTestId('role-A').textContent(), { timeout: 20_000 }).toBe('primary');
    expect(await page.getByTestId('role-B').textContent()).toBe('backup');
    const uartA = page.locator('[data-testid="machine-A"] pre.uart');
    const uartB = page.locator('[data-testid="machine-B"] pre.uart');
    await expect.poll(() => uartA.textContent().catch(() => ''), { timeout: 20_000 }).toContain(MESSAGE);
    await expect.poll(() => uartB.textContent().catch(() => ''), { timeout: 20_000 }).toContain(MESSAGE);
    expect(await uartB.getAttribute('title')).toMatch(/discarded/);
    const entries = async () => Number((await page.getByTestId('log-channel').textContent())?.match(/([\d,]+) entries/)?.[1]?.replace(/,/g, '') ?? 0);
    // One output entry per character at least (each waits for its acknowledgement).
    await expect.poll(entries, { timeout: 10_000 }).toBeGreaterThanOrEqual(MESSAGE.length);
    await expect.poll(() => page.getByTestId('state-A').textContent(), { timeout: 10_000 }).toMatch(/halted|stopped|exit/i);
    await app.screenshot('walking-skeleton');

    // Stop: the recorder closes the session.
    await page.getByTestId('stop').click();
    await expect.poll(() => sessionRow(app.dbPath)?.status ?? null, { timeout: 10_000 }).toBe('complete');

    // The rows really are in the workspace database the server wrote.
    const row = sessionRow(app.dbPath)!;
    expect(row.engine).toBe('live');
    // Monaco auto-indents nothing here, so what was typed is what was stored.
    expect(row.source.replace(/\r\n/g, '\n')).toBe(PROGRAM);
    const db = new Database(app.dbPath, { readonly: true });
    try {
      const count = (sql: string) => (db.prepare(sql).get(row.id) as { n: number }).n;
      expect(count('SELECT count(*) AS n FROM log_entries WHERE session_id = ?')).toBeGreaterThanOrEqual(MESSAGE.length);
      // The primary's UART bytes, in order, as recorded.
      const released = db
        .prepare("SELECT bytes FROM outputs WHERE session_id = ? AND node = 'A' AND fate = 'released' AND device = 'uart' ORDER BY out_index")
        .all(row.id) as { bytes: Buffer }[];
      expect(Buffer.concat(released.map((r) => r.bytes)).toString('latin1')).toBe(`${MESSAGE}\n`);
      expect(count("SELECT count(*) AS n FROM outputs WHERE session_id = ? AND node = 'B' AND fate = 'discarded'")).toBe(MESSAGE.length + 1);
    } finally {
      db.close();
    }
    expect(app.errors).toEqual([]);
  });
});

function sessionRow(dbPath: string): { id: number; engine: string; source: string; status: string } | undefined {
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    return db
      .prepare("SELECT id, engine, program_source AS source, status FROM sessions WHERE engine = 'live' ORDER BY id DESC LIMIT 1")
      .get() as { id: number; engine: string; source: string; status: string } | undefined;
  } finally {
    db.close();
  }
}
