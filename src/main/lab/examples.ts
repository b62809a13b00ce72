/** The example guest programs shipped in resources/examples. */
import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { ExampleInfo } from '../../shared/labApi';

const exampleExtensions = ['.s', '.S'];
const maxExampleBytes = 256 * 1024;

export async function listExamples(dir: string): Promise<ExampleInfo[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const examples: ExampleInfo[] = [];
  for (const name of names.sort()) {
    if (!exampleExtensions.some((ext) => name.endsWith(ext))) continue;
    const source = await readFile(join(dir, name), 'utf8');
    examples.push({ name, title: titleOf(source) || name });
  }
  return examples;
}

export async function readExample(dir: string, name: string): Promise<{ name: string; source: string }> {
  const safe = basename(name);
  if (safe !== name || !exampleExtensions.some((ext) => name.endsWith(ext))) throw new Error(`no example named "${name}"`);
  const source = await readFile(join(dir, safe), 'utf8').catch(() => {
    throw new Error(`no example named "${name}"`);
  });
  if (source.length > maxExampleBytes) throw new Error(`example "${name}" is too large`);
  return { name: safe, source };
}

function titleOf(source: string): string {
  const first = source.split('\n').find((line) => line.trim().startsWith('#'));
  return first ? first.replace(/^\s*#\s*/, '').trim() : '';
}
