/**
 * Lines of a text: offsets to LSP positions and back, and the text of a line. The one line
 * index of the analysis (front-ends, rules, fixes, suppression edits): `\r\n`, `\n` and a
 * lone `\r` all end a line, as in VS Code. The line starts are computed once per text and
 * each lookup is a binary search.
 */
import type { Position, Range, SourceLocation } from './ir';

function lineStartsOf(text: string): number[] {
  const starts = [0];
  if (!text.includes('\r')) {
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    return starts;
  }
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) starts.push(i + 1);
    else if (c === 13) {
      if (text.charCodeAt(i + 1) === 10) i++;
      starts.push(i + 1);
    }
  }
  return starts;
}

export class LineIndex {
  /** Offset at which each line starts; lineStarts[0] is 0. */
  private readonly lineStarts: number[];
  /** The line of the last lookup: front-ends ask mostly in reading order, often twice on one line. */
  private lastLine = 0;

  constructor(private readonly text: string) {
    this.lineStarts = lineStartsOf(text);
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }

  /** The position of `offset`, clamped to the text. */
  positionAt(offset: number): Position {
    const clamped = Math.max(0, Math.min(Number.isFinite(offset) ? Math.floor(offset) : 0, this.text.length));
    const starts = this.lineStarts;
    const last = this.lastLine;
    if (clamped >= starts[last] && (last + 1 === starts.length || clamped < starts[last + 1])) return { line: last, character: clamped - starts[last] };
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (starts[mid] <= clamped) low = mid;
      else high = mid - 1;
    }
    this.lastLine = low;
    return { line: low, character: clamped - starts[low] };
  }

  /** The offset of a position, clamped to its line. */
  offsetAt(position: Position): number {
    if (position.line < 0) return 0;
    if (position.line >= this.lineStarts.length) return this.text.length;
    const start = this.lineStarts[position.line];
    const next = position.line + 1 < this.lineStarts.length ? this.lineStarts[position.line + 1] : this.text.length;
    return Math.max(start, Math.min(start + Math.max(0, position.character), next));
  }

  rangeAt(offset: number, length: number): Range {
    return { start: this.positionAt(offset), end: this.positionAt(offset + Math.max(0, length)) };
  }

  locationAt(path: string, offset: number, length: number): SourceLocation {
    return { path, range: this.rangeAt(offset, length) };
  }

  /** Where line `line`'s text ends: before its line terminator. */
  private lineEnd(line: number): number {
    if (line + 1 >= this.lineStarts.length) return this.text.length;
    const next = this.lineStarts[line + 1];
    return this.text.charCodeAt(next - 1) === 10 && this.text.charCodeAt(next - 2) === 13 ? next - 2 : next - 1;
  }

  /** The text of line `line` without its line terminator; undefined past the text. */
  lineText(line: number): string | undefined {
    if (!Number.isInteger(line) || line < 0 || line >= this.lineStarts.length) return undefined;
    return this.text.slice(this.lineStarts[line], this.lineEnd(line));
  }

  /** Lines `first` to `last` (clamped to the text), with the terminators between them; '' when none. */
  linesBetween(first: number, last: number): string {
    const from = Math.max(0, first);
    const to = Math.min(last, this.lineStarts.length - 1);
    if (from > to) return '';
    return this.text.slice(this.lineStarts[from], this.lineEnd(to));
  }
}

let lastText: string | undefined;
let lastIndex: LineIndex | undefined;

/**
 * The line index of `text`, kept for the last text asked about: the rules and fixes of one file
 * all ask about the same string (the check is a pointer comparison), and splitting the file on
 * every question made them quadratic in its length.
 */
export function lineIndexOf(text: string): LineIndex {
  if (text !== lastText || !lastIndex) {
    lastText = text;
    lastIndex = new LineIndex(text);
  }
  return lastIndex;
}

/** One-off conversion. For many offsets of the same text, build a {@link LineIndex} once. */
export function offsetToPosition(text: string, offset: number): Position {
  return new LineIndex(text).positionAt(offset);
}

/** A NUL in the first 8 KB: text that is not text (a binary renamed `.py`) gets a message, not a parse. */
export function looksBinary(text: string): boolean {
  const sample = text.length > 8192 ? text.slice(0, 8192) : text;
  return sample.includes('\u0000');
}
