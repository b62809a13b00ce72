/**
 * The live engine through the workbench: run the counter example with
 * clients, crash the primary, and the built-in scenarios that show the output
 * rule, split brain and an unlogged non-deterministic input.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openWebApp, typeIntoEditor, visibleEditorText, type WebApp } from './harness';

async function openExample(page: Page, name: string): Promise<void> {
  await page.getByTestId('menu-examples').click();
  await page.getByTestId(`example-${name}`).click();
  await expect.poll(() => page.getByTestId('file-name').textContent()).toContain(name);
}

/** A count as the workbench shows it ("1,234", "12.3 k", "1.20 M"). */
function parseCount(text: string | null): number {
  const m = /^([\d,.]+)\s*(k|M|G)?/.exec(text?.trim() ?? '');
  if (!m) return NaN;
  return Number(m[1]!.replace(/,/g, '')) * ({ k: 1e3, M: 1e6, G: 1e9 }[m[2] as 'k' | 'M' | 'G'] ?? 1);
}

async function runScenario(page: Page, name: string): Promise<void> {
  await page.getByTestId('menu-examples').click();
  await page.getByTestId(`scenario-${name}.json`).click();
  await expect.poll(() => page.getByTestId('scenario-tag').textContent(), { timeout: 15_000 }).toContain(name);
}

describe('live replication in Chromium', () => {
  let app: WebApp;

  beforeAll(async () => {
    app = await openWebApp();
  });
  afterAll(async () => {
    await app?.close();
  });

  it('runs the counter example on primary and backup with clients', async () => {
    const { page } = app;
    await openExample(page, 'counter.s');
    await page.getByTestId('run').click();
    await expect.poll(() => page.getByTestId('role-A').textContent(), { timeout: 15_000 }).toBe('primary');
    expect(await page.getByTestId('role-B').textContent()).toBe('backup');
    await page.getByTestId('tab-clients').click();
    await page.getByTestId('clients-start').click();
    await expect.poll(() => page.locator('[data-testid="client-ops"] tbody tr').count(), { timeout: 15_000 }).toBeGreaterThan(3);
    await app.screenshot('live-counter-clients');
    await page.getByTestId('tab-machines').click();
    await expect.poll(async () => Number((await page.locator('[data-testid="machine-B"] [data-testid="icount"]').textContent())?.replace(/\D/g, '')), { timeout: 10_000 }).toBeGreaterThan(0);
    await app.screenshot('live-counter-topology');
    await page.getByTestId('tab-log').click();
    await expect.poll(() => page.locator('[data-testid="log-scroll"] .log-row').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    await page.getByTestId('log-filter-heartbeat').click();
    // Paused to pick a row, as a student would: while the run goes on, the bounded log drops its oldest
    // rows as new ones come, and the first row is a different entry from one frame to the next.
    await page.getByTestId('pause').click();
    await expect.poll(() => page.getByTestId('pause').getAttribute('title')).toMatch(/^Resume/);
    await page.locator('[data-testid="log-scroll"] .log-row').first().click();
    await expect.poll(() => page.locator('[data-testid="log-scroll"] .log-row.selected').count()).toBe(1);
    await app.screenshot('live-log');
    await page.getByTestId('pause').click();
    await expect.poll(() => page.getByTestId('pause').getAttribute('title')).toMatch(/^Pause/);
    expect(app.errors).toEqual([]);
  });

  it('crashing the primary makes the backup go live (Alt+1)', async () => {
    const { page } = app;
    await page.getByTestId('tab-machines').click();
    await page.keyboard.press('Alt+1');
    await expect.poll(() => page.getByTestId('role-B').textContent(), { timeout: 15_000 }).toBe('primary');
    await expect.poll(() => page.getByTestId('state-A').textContent()).toMatch(/crashed|halted/);
    await expect.poll(() => page.locator('[data-testid="marker-fault"]').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    await app.screenshot('live-crash-primary');
    expect(app.errors).toEqual([]);
  });

  it('marks the duplicate a new primary re-sends as discarded', async () => {
    const { page } = app;
    await runScenario(page, 'duplicate-after-failover');
    await page.getByTestId('tab-clients').click();
    await expect.poll(async () => Number(await page.getByTestId('duplicates').textContent().then((t) => t?.match(/\d+/)?.[0])), { timeout: 20_000 }).toBeGreaterThan(0);
    expect(await page.getByTestId('client-ops').textContent()).toContain('duplicate, discarded');
    await app.screenshot('scenario-duplicate-discarded');
    expect(app.errors).toEqual([]);
  });

  it('output rule off + crash: the checker shows the anomaly and the offending operations', async () => {
    const { page } = app;
    await runScenario(page, 'output-rule-off-crash');
    await page.getByTestId('tab-clients').click();
    await expect.poll(() => page.getByTestId('verdict-title').textContent(), { timeout: 20_000 }).toBe('Anomaly');
    // The lost acknowledged output shows at the failover; the unorderable history once a client reads after it.
    await expect.poll(() => page.getByTestId('verdict-detail').textContent(), { timeout: 20_000 }).toContain('not linearizable');
    await expect.poll(() => page.locator('[data-testid="witness"] li').count()).toBeGreaterThan(0);
    await app.screenshot('scenario-output-rule-off');
    expect(app.errors).toEqual([]);
  });

  it('cut the log without an arbiter: split brain', async () => {
    const { page } = app;
    await runScenario(page, 'split-brain-no-arbiter');
    await page.getByTestId('tab-clients').click();
    await expect.poll(() => page.getByTestId('verdict-detail').textContent(), { timeout: 20_000 }).toContain('split brain');
    await page.getByTestId('tab-machines').click();
    await app.screenshot('scenario-split-brain');
    expect(app.errors).toEqual([]);
  });

  it('unlogged seed: the memory diff jumps to the first difference', async () => {
    const { page } = app;
    await runScenario(page, 'unlogged-seed');
    await page.getByTestId('tab-memory').click();
    // Compare A and B by name (the backup may have been replaced), until the drift shows.
    await page.getByTestId('diff-left').selectOption('A');
    await page.getByTestId('diff-right').selectOption('B');
    await expect
      .poll(async () => {
        await page.getByTestId('compare-memory').click();
        return page.getByTestId('memdiff-summary').textContent({ timeout: 2_000 }).catch(() => '');
      }, { timeout: 20_000, interval: 1_000 })
      .toMatch(/pages differ/);
    await page.getByTestId('jump-first-difference').click();
    const first = (await page.getByTestId('first-difference').textContent())!;
    await expect.poll(() => page.locator('.hex-row.flash').count()).toBe(1);
    expect(Number(await page.locator('.hex-row.flash').getAttribute('data-row'))).toBe((Number(first) & ~15) >>> 0);
    await expect.poll(() => page.locator('.hex-row.flash .bytes span.d').count()).toBeGreaterThan(0);
    await app.screenshot('scenario-unlogged-seed-memdiff');
    expect(app.errors).toEqual([]);
  });

  it("unlogged seed: the editor shows the scenario's own program with the primary's instruction, and gives yours back", async () => {
    const { page } = app;
    const ownName = await page.getByTestId('file-name').textContent();
    const own = await visibleEditorText(page);
    await expect.poll(() => page.getByTestId('scenario-banner').textContent()).toContain('seed.s');
    await page.getByTestId('show-scenario-program').click();
    await expect.poll(() => page.getByTestId('file-name').textContent()).toContain('seed.s');
    await expect.poll(() => visibleEditorText(page)).not.toBe(own);
    // The primary's current instruction is highlighted in the scenario's source (alone, or shared with the backup).
    await expect.poll(() => page.locator('[data-testid="editor"] .ftl-pc-primary').count(), { timeout: 10_000 }).toBe(1);
    expect(await visibleEditorText(page)).toMatch(/wfi|csrr +a3, seed/);
    await app.screenshot('scenario-unlogged-seed-program');
    await page.getByTestId('restore-own-program-scenario').click();
    await expect.poll(() => page.getByTestId('file-name').textContent()).toBe(ownName);
    await expect.poll(() => page.locator('[data-testid="editor"] .ftl-pc-primary').count()).toBe(0);
    // Yours comes back (from its first line: the editor keeps its scroll position).
    await page.locator('[data-testid="editor"] .view-lines').click();
    await page.keyboard.press('ControlOrMeta+Home');
    await expect.poll(() => visibleEditorText(page)).toBe(own);
    expect(app.errors).toEqual([]);
  });

  it('log: rows older than the page holds are fetched from the engine when scrolled to', async () => {
    const { page } = app;
    // A guest that reads the clock every ~2 M instructions: a steady stream of log entries (≤ 1,000 a second
    // at full speed), well within what the engine keeps (its newest 20,000) for the whole test.
    await typeIntoEditor(page, ['_start:', 'loop:   csrr    a0, time', '        li      t0, 1000000', '1:      addi    t0, t0, -1', '        bnez    t0, 1b', '        j       loop'].join('\n'));
    await page.getByTestId('run').click();
    await page.getByTestId('tab-log').click();
    // More than 300 entries of this run: the newest row is past #300 and reads the clock (not the previous scenario's seed or timer).
    const newest = page.locator('[data-testid="log-scroll"] .log-row').last();
    await expect
      .poll(async () => Number((await newest.locator('span:nth-child(2)').textContent())?.slice(1)) > 300 && /time\.lo=/.test((await newest.locator('.text').textContent()) ?? ''), { timeout: 30_000 })
      .toBe(true);
    // A page opened mid-run (here: reloaded) holds only what arrives from now on; the rest is older.
    await page.reload();
    await page.getByTestId('tab-log').click();
    await expect.poll(() => page.getByTestId('log-older').count(), { timeout: 20_000 }).toBe(1);
    // Scrolled up while rows keep arriving, the table stays where the student put it (rows that arrive
    // before the scroll event fires must not pull it back to the end).
    const scroll = page.getByTestId('log-scroll');
    for (let i = 0; i < 6; i++) {
      await scroll.evaluate((el) => (el.scrollTop = el.scrollHeight / 2));
      await page.waitForTimeout(120);
      const gap = await scroll.evaluate((el) => el.scrollHeight - el.clientHeight - el.scrollTop);
      expect(gap, `try ${i}: the table went back to its end`).toBeGreaterThan(200);
    }
    // Back at the end, it follows the newest rows again.
    await scroll.evaluate((el) => (el.scrollTop = el.scrollHeight));
    const rowsBefore = await scroll.evaluate((el) => el.scrollHeight / 22);
    await expect.poll(() => scroll.evaluate((el) => el.scrollHeight / 22)).toBeGreaterThan(rowsBefore + 20);
    expect(await scroll.evaluate((el) => el.scrollHeight - el.clientHeight - el.scrollTop)).toBeLessThan(44);
    await page.getByTestId('pause').click();
    const older = parseCount(await page.getByTestId('log-older').textContent());
    // Older rows are those of the held rows' epoch before the first one held (a new epoch numbers from #1 again).
    const heldFirst = await page.locator('[data-testid="log-scroll"] .log-row:not(.older)').first().textContent();
    expect(older, `first held row: ${heldFirst}`).toBeGreaterThan(20);
    const fetched = page.locator('[data-testid="log-scroll"] .log-row.older:not(.placeholder)');
    const seqsShown = async () => (await page.locator('[data-testid="log-scroll"] .log-row.older span:nth-child(2)').allTextContents()).map((t) => Number(t.slice(1))).sort((x, y) => x - y);
    // Just above the rows the page holds: the entries right before them, fetched from the engine.
    await scroll.evaluate((el, rows) => (el.scrollTop = rows * 22 - el.clientHeight / 2), older);
    await expect.poll(() => fetched.count(), { timeout: 10_000 }).toBeGreaterThan(5);
    expect(await page.locator('[data-testid="log-scroll"] .log-row.placeholder').count()).toBe(0);
    const near = await seqsShown();
    expect(near[near.length - 1]).toBe(older);
    expect(near).toEqual(near.map((_, i) => near[0]! + i));
    expect(await page.locator('[data-testid="log-scroll"] .log-row.older .kind-cell').allTextContents()).toContain('nondet');
    await app.screenshot('live-log-older-rows');
    // Rows chosen from the fetched history move the timeline like any other.
    await fetched.nth(2).click();
    await expect.poll(() => page.locator('[data-testid="log-scroll"] .log-row.selected').count()).toBe(1);
    // The very top of the table is the run's first entry.
    await scroll.evaluate((el) => (el.scrollTop = 0));
    await expect.poll(async () => (await seqsShown())[0], { timeout: 10_000 }).toBe(1);
    await expect.poll(() => page.locator('[data-testid="log-scroll"] .log-row.placeholder').count(), { timeout: 10_000 }).toBe(0);
    await app.screenshot('live-log-oldest-rows');
    expect(app.errors).toEqual([]);
  });
});
