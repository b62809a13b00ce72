/**
 * The live engine through the workbench: run the counter example with
 * clients, crash the primary, and the built-in scenarios that show the output
 * rule, split brain and an unlogged non-deterministic input.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openWebApp, type WebApp } from './harness';

async function openExample(page: Page, name: string): Promise<void> {
  await page.getByTestId('menu-examples').click();
  await page.getByTestId(`example-${name}`).click();
  await expect.poll(() => page.getByTestId('file-name').textContent()).toContain(name);
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
    await page.locator('[data-testid="log-scroll"] .log-row').first().click();
    await expect.poll(() => page.locator('[data-testid="log-scroll"] .log-row.selected').count()).toBe(1);
    await app.screenshot('live-log');
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
    const lines = page.locator('[data-testid="editor"] .view-lines');
    const own = await lines.textContent();
    await expect.poll(() => page.getByTestId('scenario-banner').textContent()).toContain('seed.s');
    await page.getByTestId('show-scenario-program').click();
    await expect.poll(() => page.getByTestId('file-name').textContent()).toContain('seed.s');
    await expect.poll(() => lines.textContent()).not.toBe(own);
    expect(await lines.textContent()).toMatch(/wfi|seed/);
    // The primary's current instruction is highlighted in the scenario's source (alone, or shared with the backup).
    await expect.poll(() => page.locator('[data-testid="editor"] .ftl-pc-primary').count(), { timeout: 10_000 }).toBe(1);
    await app.screenshot('scenario-unlogged-seed-program');
    await page.getByTestId('restore-own-program-scenario').click();
    // Yours comes back (from its first line: the editor keeps its scroll position).
    await lines.click();
    await page.keyboard.press('ControlOrMeta+Home');
    await expect.poll(() => lines.textContent()).toBe(own);
    await expect.poll(() => page.locator('[data-testid="editor"] .ftl-pc-primary').count()).toBe(0);
    expect(app.errors).toEqual([]);
  });
});
