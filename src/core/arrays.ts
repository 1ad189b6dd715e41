/** Element-wise and matrix arithmetic on row-major arrays (one row per sample), shared by the analysis and the reproduction's replay. */

export function applyToRows(rows: number[][], f: (v: number, column: number) => number): number[][] {
  return rows.map((r) => r.map((v, c) => f(v, c)));
}

/** `rows @ m`, each row's first `m.length` values times m (a value missing from m counts as NaN). */
export function matrixProduct(rows: number[][], m: number[][]): number[][] {
  const inner = m.length;
  const columns = m[0]?.length ?? 0;
  return rows.map((row) => {
    const out = new Array<number>(columns).fill(0);
    for (let k = 0; k < inner; k++) {
      const v = row[k];
      const mk = m[k];
      for (let j = 0; j < columns; j++) out[j] += v * (mk[j] ?? NaN);
    }
    return out;
  });
}
