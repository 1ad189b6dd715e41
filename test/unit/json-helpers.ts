import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Origin, Range } from '../../src/core/ir';
import { LineIndex } from '../../src/core/text';

export const JSON_FIXTURES = join(__dirname, '..', 'fixtures', 'json');

export function fixture(relative: string): { path: string; text: string } {
  return { path: `test/fixtures/json/${relative}`, text: readFileSync(join(JSON_FIXTURES, relative), 'utf8') };
}

/** The text a range covers. */
export function textAt(text: string, range: Range): string {
  const index = new LineIndex(text);
  return text.slice(index.offsetAt(range.start), index.offsetAt(range.end));
}

export function originText(text: string, origin: Origin | undefined): string | undefined {
  if (!origin || (origin.kind !== 'literal' && origin.kind !== 'config')) return undefined;
  return textAt(text, origin.location.range);
}
