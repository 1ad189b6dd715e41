/**
 * An open notebook as the `.ipynb` text the core's notebook front-end reads. Built from the
 * editor's cells (not the file on disk) so that unsaved edits count. Every cell is kept, in
 * order, so that a finding's cell index is the editor's cell index; code cells in another
 * language become raw cells, which the front-end skips.
 */
export interface NotebookCellInput {
  kind: 'code' | 'markup';
  /** The cell's language id (`python`, `markdown`, ...). */
  language: string;
  text: string;
}

/** Splits into lines keeping their `\n`, the way Jupyter writes `source`. */
function sourceLines(text: string): string[] {
  const lines = text.split(/(?<=\n)/);
  return lines.length === 1 && lines[0] === '' ? [] : lines;
}

export function notebookJson(cells: readonly NotebookCellInput[]): string {
  return JSON.stringify({
    cells: cells.map((cell) => {
      const source = sourceLines(cell.text);
      if (cell.kind === 'markup') return { cell_type: 'markdown', metadata: {}, source };
      if (cell.language !== 'python') return { cell_type: 'raw', metadata: {}, source };
      return { cell_type: 'code', execution_count: null, metadata: {}, outputs: [], source };
    }),
    metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' }, language_info: { name: 'python' } },
    nbformat: 4,
    nbformat_minor: 5,
  });
}
