/**
 * End-to-end harness: the real `npm run web` server (engine, workers,
 * SQLite) in a child process, and Debian's Chromium driven by playwright-core.
 * Any console error or page error fails the test.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const artifactsDir = resolve('test-artifacts/e2e');
const chromiumPath = process.env.FTLAB_CHROMIUM ?? '/usr/bin/chromium';

export interface WebApp {
  readonly url: string;
  readonly dbPath: string;
  readonly page: Page;
  readonly errors: string[];
  screenshot(name: string): Promise<string>;
  close(): Promise<void>;
}

async function startServer(dbPath: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['scripts/web.mjs', '--no-build', '--port', '0', '--db', dbPath], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`web server did not start:\n${output}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /FT Lab web: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(output);
      if (match) {
        clearTimeout(timer);
        ok(match[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => fail(new Error(`web server exited with ${code}:\n${output}`)));
  });
  return { child, url };
}

export async function openWebApp(options: { colorScheme?: 'light' | 'dark' } = {}): Promise<WebApp> {
  if (!existsSync(chromiumPath)) {
    throw new Error(`Chromium not found at ${chromiumPath}: install it with \`apt-get install chromium\` (.ci/run does).`);
  }
  mkdirSync(artifactsDir, { recursive: true });
  const work = mkdtempSync(join(tmpdir(), 'ftlab-e2e-'));
  const dbPath = join(work, 'workspace.sqlite');
  const { child, url } = await startServer(dbPath);
  const context: BrowserContext = await chromium.launchPersistentContext(join(work, 'profile'), {
    executablePath: chromiumPath,
    headless: true,
    viewport: { width: 1360, height: 820 },
    colorScheme: options.colorScheme ?? 'light',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => errors.push(`page: ${error.message}`));
  await page.goto(url);
  return {
    url,
    dbPath,
    page,
    errors,
    async screenshot(name: string) {
      const file = join(artifactsDir, `${name}.png`);
      await page.screenshot({ path: file });
      return file;
    },
    async close() {
      await context.close();
      child.kill('SIGTERM');
      await new Promise((ok) => (child.exitCode !== null ? ok(null) : child.once('exit', ok)));
      rmSync(work, { recursive: true, force: true });
    },
  };
}

/** Replaces the editor's text by typing, as a student would. */
export async function typeIntoEditor(page: Page, text: string): Promise<void> {
  await page.locator('[data-testid="editor"][data-ready="true"]').waitFor();
  await page.locator('[data-testid="editor"] .view-lines').click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Delete');
  await typeLines(page, text);
}

/**
 * Types text line by line at the cursor, removing the indentation the editor
 * carries over after Enter, so the text keeps exactly its own indentation.
 */
export async function typeLines(page: Page, text: string): Promise<void> {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (i > 0) {
      // Close the completion widget first: under load it can open late, and Enter would accept a suggestion.
      await page.keyboard.press('Escape');
      await page.keyboard.press('Enter');
      await page.keyboard.press('Shift+Home');
      await page.keyboard.press('Delete');
    }
    if (lines[i]) await page.keyboard.type(lines[i]!);
  }
}

/**
 * The on-screen box of the `nth` occurrence of `word` in the editor's visible
 * lines (Monaco merges tokens of the same colour into one span, so words are
 * found in the text, not by element).
 */
export async function editorWordBox(page: Page, word: string, nth = 0): Promise<{ x: number; y: number; width: number; height: number }> {
  const box = await page.locator('[data-testid="editor"] .view-lines').evaluate(
    (root, [w, n]) => {
      const lines = [...root.querySelectorAll<HTMLElement>('.view-line')].sort(
        (a, b) => a.getBoundingClientRect().top - b.getBoundingClientRect().top,
      );
      let seen = 0;
      for (const line of lines) {
        const walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          const text = (node.textContent ?? '').replace(/\u00a0/g, ' ');
          const re = new RegExp(`(^|[^\\w.])(${(w as string).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')})(?![\\w.])`, 'g');
          for (let m = re.exec(text); m; m = re.exec(text)) {
            if (seen++ < (n as number)) continue;
            const range = document.createRange();
            const start = m.index + m[1]!.length;
            range.setStart(node, start);
            range.setEnd(node, start + (w as string).length);
            const r = range.getBoundingClientRect();
            return { x: r.x, y: r.y, width: r.width, height: r.height };
          }
        }
      }
      return null;
    },
    [word, nth] as const,
  );
  if (!box) throw new Error(`"${word}" (#${nth}) is not on screen in the editor`);
  return box;
}

/** Moves the mouse to the middle of a word in the editor (to hover it). */
export async function hoverEditorWord(page: Page, word: string, nth = 0): Promise<void> {
  const b = await editorWordBox(page, word, nth);
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 3 });
}

/** Clicks in the middle of a word in the editor (puts the cursor in it). */
export async function clickEditorWord(page: Page, word: string, nth = 0): Promise<void> {
  const b = await editorWordBox(page, word, nth);
  await page.mouse.click(b.x + b.width / 2, b.y + b.height / 2);
}

/** The editor's visible lines in screen order (Monaco reuses line elements, so DOM order drifts after scrolling). */
export async function visibleEditorText(page: Page): Promise<string> {
  return page.locator('[data-testid="editor"] .view-lines').evaluate((root) =>
    [...root.querySelectorAll<HTMLElement>('.view-line')]
      .sort((a, b) => a.getBoundingClientRect().top - b.getBoundingClientRect().top)
      .map((l) => (l.textContent ?? '').replace(/\u00a0/g, ' '))
      .join('\n'),
  );
}
