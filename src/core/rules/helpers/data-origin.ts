/** Where an array's data file is loaded in the code (the statement and its variable), for fixes that act on the loaded frame. */
import { fileOriginOf } from '../../data/enrich';
import type { DataSpec } from '../../ir';

export interface LoadStatement {
  path: string;
  line: number;
  variable: string;
  /** Loaded by pandas (so `dropna`/`fillna` apply). */
  pandas: boolean;
}

export function fileOriginLine(data: DataSpec, sourceText: (path: string) => string | undefined): LoadStatement | undefined {
  const path = data.source.kind === 'file' || data.source.kind === 'derived' ? data.source.location.path : undefined;
  if (!path) return undefined;
  const text = sourceText(path);
  if (text === undefined) return undefined;
  const origin = fileOriginOf(data, text);
  if (!origin || origin.line === undefined || !origin.variable) return undefined;
  return { path, line: origin.line, variable: origin.variable, pandas: origin.loader.startsWith('pd.') };
}
