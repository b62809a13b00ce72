/**
 * The editor as a student meets it: a mistake is underlined while typing,
 * hovers explain instructions and CSRs (and why `seed` is non-deterministic),
 * F12 jumps to a label, and a click in the gutter sets a breakpoint.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clickEditorWord, hoverEditorWord, openWebApp, typeIntoEditor, type WebApp } from './harness';

const program = [
  '# typed in the browser',
  '_start:',
  '    csrr a0, seed',
  '    addi a0, a0',
  '    bnez a0, done',
  '    frobnicate t0, t1',
  'done:',
  '    j done',
].join('\n');

describe('editor in Chromium', () => {
  let app: WebApp;

  beforeAll(async () => {
    app = await openWebApp();
  });
  afterAll(async () => {
    await app?.close();
  });

  it('marks assembler errors while typing', async () => {
    const { page } = app;
    await expect.poll(() => page.getByTestId('problems').textContent(), { timeout: 20_000 }).toBe('no problems');
    await typeIntoEditor(page, program);
    await expect.poll(() => page.getByTestId('problems').textContent(), { timeout: 10_000 }).toMatch(/^2 errors/);
    // Two squiggles: the missing operand on line 4 and the unknown mnemonic on line 6.
    await expect.poll(() => page.locator('[data-testid="editor"] .squiggly-error').count()).toBe(2);
    // Hovering a squiggle shows the assembler's message.
    await hoverEditorWord(page, 'frobnicate');
    const hover = page.locator('.monaco-hover:visible');
    await expect.poll(() => hover.textContent(), { timeout: 10_000 }).toMatch(/frobnicate/i);
    await app.screenshot('editor-error-marker');
    expect(app.errors).toEqual([]);
  });

  it('explains a non-deterministic CSR and an instruction on hover', async () => {
    const { page } = app;
    await page.mouse.move(5, 5);
    await hoverEditorWord(page, 'seed');
    const hover = page.locator('.monaco-hover:visible');
    await expect.poll(() => hover.textContent(), { timeout: 10_000 }).toContain('Non-deterministic');
    expect(await hover.textContent()).toMatch(/log/);
    await app.screenshot('editor-hover-seed');

    await page.mouse.move(5, 5);
    await hoverEditorWord(page, 'bnez');
    await expect.poll(() => hover.textContent(), { timeout: 10_000 }).toMatch(/bnez.*pseudo-instruction/);
    expect(app.errors).toEqual([]);
  });

  it("goes to a label's definition and sets a breakpoint in the gutter", async () => {
    const { page } = app;
    await page.mouse.move(5, 5);
    // Cursor on "done" in line 5, then F12.
    await clickEditorWord(page, 'done', 0);
    await page.keyboard.press('F12');
    await expect.poll(() => page.locator('[data-testid="editor"] .line-numbers.active-line-number').textContent()).toBe('7');

    // Click the glyph margin of line 3.
    const lineHeight = await page.locator('[data-testid="editor"] .view-line').first().evaluate((el) => el.getBoundingClientRect().height);
    const glyphs = await page.locator('[data-testid="editor"] .glyph-margin').first().boundingBox();
    expect(glyphs).not.toBeNull();
    await page.mouse.click(glyphs!.x + glyphs!.width / 2, glyphs!.y + 2.5 * lineHeight);
    await expect.poll(() => page.locator('[data-testid="editor"] .ftl-breakpoint').count()).toBe(1);
    // F9 on the cursor line (7) adds a second one; clicking line 3 again removes the first.
    await page.keyboard.press('F9');
    await expect.poll(() => page.locator('[data-testid="editor"] .ftl-breakpoint').count()).toBe(2);
    await app.screenshot('editor-breakpoints');
    await page.mouse.click(glyphs!.x + glyphs!.width / 2, glyphs!.y + 2.5 * lineHeight);
    await expect.poll(() => page.locator('[data-testid="editor"] .ftl-breakpoint').count()).toBe(1);
    expect(app.errors).toEqual([]);
  });
});
