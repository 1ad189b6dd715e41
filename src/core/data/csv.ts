/**
 * CSV for statistics and for the reproduction's values: text goes in chunk by chunk, the
 * tokenizer splits it into cells, cells are classified (number, empty, NaN token, infinity,
 * text) and, for statistics, fed to per-column accumulators. Quoted fields (with doubled
 * quotes and newlines inside) are handled; the delimiter is guessed from the first line; a
 * first row with text in it is the header, as pandas assumes.
 */
import { ColumnAccumulator, MAX_RESERVOIR_COLUMNS, type ColumnSummary } from './columns';

/** What pandas's `read_csv` reads as NaN by default (besides an empty cell). */
const NAN_TOKENS = new Set(['nan', 'NaN', 'NAN', 'NA', 'N/A', 'n/a', '#N/A', 'null', 'NULL', 'None', '-nan', '-NaN', '<NA>', '#NA', '1.#QNAN', '-1.#QNAN', '1.#IND', '-1.#IND']);
const INF = /^[+-]?(inf|Inf|INF|infinity|Infinity|INFINITY)$/;
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
/** Columns beyond this are ignored (and said so): a CSV this wide is not tabular sensor data. */
const MAX_COLUMNS = 10_000;
/**
 * Characters kept of one cell. No number is longer; a file whose "cell" runs on for megabytes
 * (a binary file or a sparse file's hole read as CSV) would otherwise grow one string a
 * character at a time, which costs the memory of many copies of it.
 */
const MAX_CELL_CHARS = 4096;

export type Cell = { kind: 'number'; value: number } | { kind: 'empty' } | { kind: 'nan' } | { kind: 'text' };

export function classifyCell(raw: string): Cell {
  const s = raw.trim();
  if (s === '') return { kind: 'empty' };
  if (NAN_TOKENS.has(s)) return { kind: 'nan' };
  if (INF.test(s)) return { kind: 'number', value: s.startsWith('-') ? -Infinity : Infinity };
  if (NUMBER.test(s)) return { kind: 'number', value: Number(s) };
  return { kind: 'text' };
}

/** The delimiter of the first line: the most frequent of , ; tab and |, else runs of whitespace (np.loadtxt's default) when the line has any, else a comma. */
function guessDelimiter(firstLine: string): string {
  const candidates = [',', ';', '\t', '|'];
  let best = ',';
  let bestCount = 0;
  for (const c of candidates) {
    const n = firstLine.split(c).length - 1;
    if (n > bestCount) {
      best = c;
      bestCount = n;
    }
  }
  if (bestCount === 0 && /\S\s+\S/.test(firstLine.trim())) return WHITESPACE;
  return best;
}

/** The delimiter that stands for runs of spaces and tabs. */
const WHITESPACE = ' ';

/**
 * Splits CSV text, pushed chunk by chunk, into rows of cells (blank lines skipped). Quoted
 * fields (with doubled quotes and newlines inside) are handled; the delimiter is guessed from
 * the first line. The one tokenizer of nanguard: statistics and the reproduction's values
 * both read their cells from it.
 */
export class CsvTokenizer {
  private delimiter: string | undefined;
  private field = '';
  private row: string[] = [];
  private inQuotes = false;
  private quotePending = false;
  /** While skipping to the first full line of a sampled chunk. */
  private skipping = false;

  constructor(private readonly onRow: (cells: string[]) => void) {}

  /** Starts a chunk taken from the middle of the file: its first partial line is dropped, state reset. */
  beginSample(): void {
    this.discardPartial();
    this.skipping = true;
  }

  /** Drops an incomplete last row (the end of a sampled chunk). */
  discardPartial(): void {
    this.field = '';
    this.row = [];
    this.inQuotes = false;
    this.quotePending = false;
  }

  push(text: string): void {
    let i = 0;
    if (this.skipping) {
      const nl = text.indexOf('\n');
      if (nl < 0) return;
      i = nl + 1;
      this.skipping = false;
    }
    if (this.delimiter === undefined) {
      const nl = text.indexOf('\n', i);
      this.delimiter = guessDelimiter(text.slice(i, nl < 0 ? text.length : nl));
    }
    const d = this.delimiter;
    const whitespace = d === WHITESPACE;
    for (; i < text.length; i++) {
      const ch = text[i];
      if (this.quotePending) {
        this.quotePending = false;
        if (ch === '"') {
          this.field += '"';
          continue;
        }
        this.inQuotes = false;
      }
      if (this.inQuotes) {
        if (ch === '"') this.quotePending = true;
        else if (this.field.length < MAX_CELL_CHARS) this.field += ch;
        continue;
      }
      if (ch === '"' && this.field.trim() === '') {
        this.inQuotes = true;
        this.field = '';
      } else if (whitespace ? ch === ' ' || ch === '\t' : ch === d) {
        // Cells past the widest row nanguard reads are not kept (the row is counted as ragged).
        if (!whitespace || this.field !== '') {
          if (this.row.length <= MAX_COLUMNS) this.row.push(this.field);
        }
        this.field = '';
      } else if (ch === '\n') {
        this.endLine();
      } else if (this.field.length < MAX_CELL_CHARS) {
        this.field += ch;
      }
    }
  }

  /** Flushes the last row when the file ended without a newline. */
  end(): void {
    if (this.quotePending) this.inQuotes = false;
    if (this.field !== '' || this.row.length > 0) this.endLine();
  }

  private endLine(): void {
    const last = this.field.endsWith('\r') ? this.field.slice(0, -1) : this.field;
    if (this.delimiter !== WHITESPACE || last !== '') this.row.push(last);
    this.field = '';
    const cells = this.row;
    this.row = [];
    if (cells.length === 0 || (cells.length === 1 && cells[0].trim() === '')) return; // blank line, skipped as pandas does
    this.onRow(cells);
  }
}

/** A cell's number, NaN for an empty cell or a NaN spelling, undefined for text. */
export function cellNumber(raw: string): number | undefined {
  const cell = classifyCell(raw);
  if (cell.kind === 'number') return cell.value;
  return cell.kind === 'text' ? undefined : NaN;
}

export class CsvStatsReader {
  private readonly tokenizer = new CsvTokenizer((cells) => this.endRow(cells));
  private header: string[] | undefined;
  private headerDecided = false;
  private columns: ColumnAccumulator[] = [];
  /** Rows with data (the header excluded). */
  rows = 0;
  /** Rows whose cell count differs from the header's. */
  raggedRows = 0;
  private truncatedColumns = false;

  /** Starts a chunk taken from the middle of the file: its first partial line is dropped, state reset. */
  beginSample(): void {
    this.tokenizer.beginSample();
  }

  /** Drops an incomplete last row (the end of a sampled chunk). */
  discardPartial(): void {
    this.tokenizer.discardPartial();
  }

  push(text: string): void {
    this.tokenizer.push(text);
  }

  /** Flushes the last row when the file ended without a newline. */
  end(): void {
    this.tokenizer.end();
  }

  private endRow(cells: string[]): void {
    if (!this.headerDecided) {
      this.headerDecided = true;
      const isHeader = cells.some((c) => classifyCell(c).kind === 'text');
      const width = Math.min(cells.length, MAX_COLUMNS);
      this.truncatedColumns = cells.length > MAX_COLUMNS;
      this.columns = Array.from({ length: width }, (_, i) => new ColumnAccumulator(i, width <= MAX_RESERVOIR_COLUMNS));
      if (isHeader) {
        // pandas names an empty header cell by its position (`Unnamed: 32`, a trailing comma's column).
        this.header = cells.slice(0, width).map((c, i) => c.trim() || `Unnamed: ${i}`);
        return;
      }
    }
    this.rows++;
    if (cells.length !== this.columns.length) this.raggedRows++;
    for (let c = 0; c < this.columns.length; c++) {
      const acc = this.columns[c];
      const raw = cells[c];
      if (raw === undefined) {
        acc.addEmpty();
        continue;
      }
      const cell = classifyCell(raw);
      if (cell.kind === 'number') acc.add(cell.value);
      else if (cell.kind === 'empty') acc.addEmpty();
      else if (cell.kind === 'nan') acc.add(NaN);
      else acc.addText();
    }
  }

  result(): { columns: ColumnSummary[]; header?: string[]; rows: number; raggedRows: number; truncatedColumns: boolean } {
    return {
      columns: this.columns.map((c, i) => c.summary(this.header?.[i])),
      header: this.header,
      rows: this.rows,
      raggedRows: this.raggedRows,
      truncatedColumns: this.truncatedColumns,
    };
  }
}
