/**
 * Lines of a source text by number, without splitting the whole text on every question.
 *
 * Every rule runs once per model, and a long script holds a hundred models: splitting the file
 * each time made the rules quadratic in the file's length. The offsets of the line starts are
 * computed once per text and kept for the last text asked about (the rules of one file all ask
 * about the same string, so the check is a pointer comparison).
 */

let cachedText: string | undefined;
let cachedStarts: number[] = [];

/** Offsets where each line starts: line n is text[starts[n], starts[n + 1] - 1). */
function lineStarts(text: string): number[] {
  if (text === cachedText) return cachedStarts;
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  cachedText = text;
  cachedStarts = starts;
  return starts;
}

/** Lines split on '\n' (what `text.split('\n').length` says). */
export function lineCount(text: string): number {
  return lineStarts(text).length;
}

/** `text.split('\n')[line]`: a carriage return before the newline is kept. */
export function lineAt(text: string, line: number): string | undefined {
  const starts = lineStarts(text);
  if (!Number.isInteger(line) || line < 0 || line >= starts.length) return undefined;
  const end = line + 1 < starts.length ? starts[line + 1] - 1 : text.length;
  return text.slice(starts[line], end);
}

/** `text.split('\n').slice(first, last + 1).join('\n')`: lines first..last, clamped to the text. */
export function linesBetween(text: string, first: number, last: number): string {
  const starts = lineStarts(text);
  const from = Math.max(0, first);
  const to = Math.min(last, starts.length - 1);
  if (from > to) return '';
  const end = to + 1 < starts.length ? starts[to + 1] - 1 : text.length;
  return text.slice(starts[from], end);
}
