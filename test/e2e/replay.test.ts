/**
 * Replay of a saved session in Chromium: a failover scenario is recorded into
 * the app's workspace with the CLI, then opened in the session browser;
 * scrubbing the timeline and stepping change every panel; verifying shows the
 * badge; a bad .sqlite gives a clear error and the app keeps running.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openWebApp, type WebApp } from './harness';

describe('replay of a saved session in Chromium', () => {
  let app: WebApp;

  beforeAll(async () => {
    app = await openWebApp();
    // Record while the server runs: the workspace is shared (WAL), the session appears on refresh.
    execFileSync(process.execPath, ['bin/ftlab.mjs', 'run', 'resources/scenarios/output-rule-on-crash.json', '--sim', '--db', app.dbPath], { stdio: 'ignore' });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('opens the recorded session from the session browser', async () => {
    const { page } = app;
    await page.getByTestId('tab-sessions').click();
    await page.getByRole('button', { name: 'Refresh' }).click();
    const row = page.locator('[data-testid^="session-"]').filter({ hasText: 'output-rule-on-crash' });
    await expect.poll(() => row.count(), { timeout: 15_000 }).toBe(1);
    expect(await row.textContent()).toContain('linearizable');
    expect(await row.textContent()).toContain('counter.s');
    await app.screenshot('replay-session-browser');
    await row.getByTestId('session-open').click();
    await page.getByTestId('replay-timeline').waitFor();
    expect(await page.getByTestId('replay-title').textContent()).toContain('output-rule-on-crash');
    expect(await page.getByTestId('replay-marker-fault').count()).toBeGreaterThan(0);
    expect(await page.getByTestId('replay-marker-failover').count()).toBeGreaterThan(0);
    expect(await page.getByTestId('replay-marker-transfer').count()).toBeGreaterThan(0);
    expect(await page.getByTestId('replay-role-A').textContent()).toBe('primary');
    expect(app.errors).toEqual([]);
  });

  it('scrubs the timeline and steps: the machines, log and outputs show the chosen moment', async () => {
    const { page } = app;
    const track = page.getByTestId('replay-track');
    const at = async (fraction: number) => {
      const box = (await track.boundingBox())!;
      await page.mouse.click(box.x + box.width * fraction, box.y + box.height / 2);
    };
    // Early in the run: A is primary and running.
    await at(0.02);
    await expect.poll(() => page.getByTestId('replay-icount-A').textContent()).not.toBe('0');
    const earlyA = await page.getByTestId('replay-icount-A').textContent();
    // Late in the run: A crashed, B went live.
    await at(0.9);
    await expect.poll(() => page.getByTestId('replay-role-A').textContent()).toBe('crashed');
    expect(await page.getByTestId('replay-role-B').textContent()).toBe('primary');
    expect(await page.getByTestId('replay-now').textContent()).toContain('B @ icount');
    await app.screenshot('replay-after-failover');
    expect(await page.getByTestId('replay-icount-A').textContent()).not.toBe(earlyA);

    // Mid-run, while B serves the clients: step forward one instruction, then back.
    await at(0.3);
    await expect.poll(() => page.getByTestId('replay-icount').textContent()).not.toBe('4,950');
    const before = await page.getByTestId('replay-icount').textContent();
    await page.getByTestId('replay-step').click();
    await expect.poll(() => page.getByTestId('replay-icount').textContent()).not.toBe(before);
    const afterStep = Number((await page.getByTestId('replay-icount').textContent())!.replace(/\D/g, ''));
    expect(afterStep).toBe(Number(before!.replace(/\D/g, '')) + 1);
    await page.getByTestId('replay-step-back').click();
    await expect.poll(() => page.getByTestId('replay-icount').textContent()).toBe(before);

    await page.getByTestId('tab-log').click();
    await expect.poll(() => page.getByTestId('replay-log-past').count()).toBeGreaterThan(0);
    await page.getByTestId('tab-clients').click();
    const releasedLate = Number(await page.getByTestId('replay-released').textContent());
    await at(0.01);
    await expect.poll(async () => Number(await page.getByTestId('replay-released').textContent())).toBeLessThan(releasedLate);

    await page.getByTestId('tab-memory').click();
    await at(0.5);
    await page.getByTestId('compare-memory').click();
    await page.getByTestId('memdiff-summary').waitFor();
    expect(await page.getByTestId('memdiff-summary').textContent()).toMatch(/pages differ|identical/);
    await app.screenshot('replay-memory-diff');
    expect(app.errors).toEqual([]);
  });

  it('verifies the replay and shows the badge', async () => {
    const { page } = app;
    await page.getByTestId('tab-machines').click();
    await page.getByTestId('verify-replay').click();
    await expect.poll(() => page.getByTestId('verify-badge').textContent(), { timeout: 30_000 }).toContain('replay matches the recording');
    await app.screenshot('replay-verified');
    expect(app.errors).toEqual([]);
  });

  it("shows the session's own program in the editor and gives the student's back", async () => {
    const { page } = app;
    const lines = page.locator('[data-testid="editor"] .view-lines');
    const own = await lines.textContent();
    await page.getByTestId('show-replay-program').click();
    // The recorded scenario ran the counter server, not the program in the editor.
    await expect.poll(() => lines.textContent()).toContain('counter');
    expect(await lines.textContent()).not.toBe(own);
    // The instruction the followed machine is at is highlighted in its source.
    await expect.poll(() => page.locator('[data-testid="editor"] .ftl-line-primary').count(), { timeout: 10_000 }).toBe(1);
    await app.screenshot('replay-session-program');
    await page.getByTestId('restore-own-program').click();
    await expect.poll(() => lines.textContent()).toBe(own);
    expect(app.errors).toEqual([]);
  });

  it('refuses a bad .sqlite with a clear error and keeps running', async () => {
    const { page } = app;
    const bad = join(app.dbPath, '..', 'not-a-session.sqlite');
    writeFileSync(bad, 'these are my lecture notes, not a database\n'.repeat(20));
    await page.getByTestId('tab-sessions').click();
    const chooser = page.waitForEvent('filechooser');
    await page.getByTestId('open-sqlite').click();
    await (await chooser).setFiles(bad);
    await expect.poll(() => page.getByTestId('file-error').textContent(), { timeout: 10_000 }).toMatch(/not-a-session\.sqlite.*not an SQLite database/);
    await app.screenshot('replay-bad-file');
    // Still serving: the replay goes on.
    const before = await page.getByTestId('replay-icount').textContent();
    await page.getByTestId('replay-step-back').click();
    await expect.poll(() => page.getByTestId('replay-icount').textContent()).not.toBe(before);
    expect(app.errors).toEqual([]);
  });
});
