import type { DataSpec, DataTransform, FeatureStats, ModelSpec, NumericOp } from '../ir';
import { arraysOf, columnName, count, ofWhat, sameStart, sampledNote, sourceStatsOf } from './helpers/data-checks';
import { fmt, isValueNeutral } from './helpers/facts';
import { replaceWithinFix } from './helpers/fixes';
import type { Rule, RuleContext, RuleHit } from './rule';

type Divide = Extract<DataTransform, { kind: 'divide' }>;

const DIVISOR_WORDS: Record<string, string> = { std: 'standard deviation', range: 'range (max - min)', max: 'maximum' };

/** The column statistic a division uses, as it is for the raw column. */
function divisorValue(by: 'std' | 'range' | 'max', s: FeatureStats): number {
  if (by === 'std') return s.std;
  if (by === 'range') return s.max - s.min;
  return s.max;
}

function divisorText(model: ModelSpec, t: Divide): NumericOp | undefined {
  return model.numerics.find((n) => n.fn === 'divide' && sameStart(n.location, t.location)) ?? model.numerics.find((n) => n.fn === 'divide' && n.location.path === t.location.path && n.location.range.start.line === t.location.range.start.line);
}

function epsilonFix(ctx: RuleContext, model: ModelSpec, t: Divide) {
  const op = divisorText(model, t);
  const text = ctx.sourceText(t.location.path);
  if (!op || text === undefined) return [];
  const divisor = op.argument.trim();
  const bare = divisor.replace(/^\((.*)\)$/s, '$1');
  const fix = replaceWithinFix(text, t.location, divisor, `(${bare} + 1e-8)`, 'Add an epsilon to the divisor: + 1e-8', true, true);
  return fix ? [fix] : [];
}

/**
 * A statistic of the whole array (`np.std(X)`, `X.max() - X.min()` with no axis) is one scalar over
 * every value: it is 0 only when the whole array is constant (or, for the max, when no value is
 * above 0). A constant column does not make it 0, so on unknown data there is nothing to say.
 */
function wholeArrayHit(ctx: RuleContext, model: ModelSpec, data: DataSpec, t: Divide, by: 'std' | 'range' | 'max', stats: FeatureStats[] | undefined): RuleHit | undefined {
  const seen = stats?.filter((s) => s.count > 0);
  if (!seen || seen.length === 0) return undefined;
  const low = Math.min(...seen.map((s) => s.min));
  const high = Math.max(...seen.map((s) => s.max));
  const zero = by === 'max' ? high === 0 : low === high;
  if (!zero) return undefined;
  const values = seen.reduce((n, s) => n + s.count, 0);
  const divisor = divisorText(model, t)?.argument ?? `the ${DIVISOR_WORDS[by]}`;
  const what = by === 'max' && low !== high ? 'has no value above 0' : `is constant (${fmt(low)} in all ${count(values)} values)`;
  return {
    location: t.location,
    severity: 'error',
    message: `${data.name}${ofWhat(data)} ${what}: ${divisor}, one number for the whole array, is 0, so this division gives 0/0 = NaN in every value${sampledNote(data)}`,
    fixes: epsilonFix(ctx, model, t),
    explanation: `This normalisation divides by one ${DIVISOR_WORDS[by]} of the whole array, not one per column. That number is 0 only when every value is the same, which is the case here; then (x - mean) / 0 = 0/0 = NaN everywhere and the loss is NaN from the first batch. Add an epsilon (\`+ 1e-8\`) to the divisor.`,
  };
}

/**
 * A whole column the code sets to one constant (`X[:, 7] = 0.0`) before this division, with
 * nothing after it that changes values: that column is constant whatever the rest of the data is.
 */
function constantColumnBefore(data: DataSpec, t: Divide): { column: number; value: number; text: string; line: number } | undefined {
  const index = data.transforms.indexOf(t);
  if (index < 0) return undefined;
  for (const a of [...(data.assignments ?? [])].reverse()) {
    if (a.after > index || a.column === null || a.value === null) continue;
    // Between the assignment and the division, only transforms that keep a constant column constant.
    if (!data.transforms.slice(a.after, index).every((x) => isValueNeutral(x) || x.kind === 'subtract' || x.kind === 'multiply' || (x.kind === 'divide' && typeof x.by === 'number'))) return undefined;
    return { column: a.column, value: a.value, text: a.text.trim(), line: a.location.range.start.line + 1 };
  }
  return undefined;
}

function hitFor(ctx: RuleContext, model: ModelSpec, data: DataSpec, t: Divide, by: 'std' | 'range' | 'max'): RuleHit | undefined {
  const stats = sourceStatsOf(data);
  if (t.wholeArray) return wholeArrayHit(ctx, model, data, t, by, stats);
  const op = divisorText(model, t);
  const divisor = op?.argument ?? `the ${DIVISOR_WORDS[by]}`;
  if (stats) {
    const zero = stats.map((s, i) => ({ s, i })).filter(({ s }) => s.count > 0 && divisorValue(by, s) === 0);
    if (zero.length === 0) return undefined;
    const { s, i } = zero[0];
    const constant = by === 'max' && s.min !== s.max ? `has a maximum of 0` : `is constant (${fmt(s.min)} in all ${count(s.count)} ${data.dataFile ? 'rows' : 'values'})`;
    const others = zero.length > 1 ? ` (${zero.length - 1} more column${zero.length > 2 ? 's' : ''} too)` : '';
    const value = by === 'max' ? '0 / 0 or x / 0' : `(${fmt(s.min)} - ${fmt(s.mean)}) / 0 = 0/0`;
    return {
      location: t.location,
      severity: 'error',
      message: `${columnName(s, i)}${ofWhat(data)} ${constant}${others}: ${divisor} is 0 there, so this division gives ${value} = NaN in every row of that column${sampledNote(data)}`,
      fixes: epsilonFix(ctx, model, t),
      explanation: `Hand-written normalisation divides each column by its ${DIVISOR_WORDS[by]}. For ${columnName(s, i)} that is exactly 0, and in IEEE arithmetic 0/0 is NaN (and x/0 is ±inf). Every sample then carries a NaN into the first layer and the loss is NaN from the first batch. scikit-learn's scalers leave such columns unscaled; by hand, add an epsilon (\`+ 1e-8\`) or drop the constant column.`,
    };
  }
  const constant = constantColumnBefore(data, t);
  if (constant && (by !== 'max' || constant.value === 0)) {
    const value = by === 'max' ? '0 / 0' : `(${fmt(constant.value)} - ${fmt(constant.value)}) / 0 = 0/0`;
    return {
      location: t.location,
      severity: 'error',
      message: `column ${constant.column} of ${data.name} is set to ${fmt(constant.value)} in every row (\`${constant.text}\`, line ${constant.line}): ${divisor} is 0 there, so this division gives ${value} = NaN in every row of that column`,
      fixes: epsilonFix(ctx, model, t),
      explanation: `The code writes one value into a whole column before it normalises, so that column's ${DIVISOR_WORDS[by]} is exactly 0, and in IEEE arithmetic 0/0 is NaN. Every sample then carries a NaN into the first layer and the loss is NaN from the first batch. Add an epsilon (\`+ 1e-8\`) to the divisor or drop the column.`,
    };
  }
  if (by === 'max') return undefined; // A global or per-column max is rarely 0 on unknown data: not worth a note.
  // Values nanguard cannot see give no evidence of a constant column: a note, not a warning (a program that trains was warned for it).
  return {
    location: t.location,
    severity: 'info',
    message: `${data.name} is divided by ${divisor} with no epsilon: a constant feature (a sensor that never changed, a border pixel that is always 0) has a ${DIVISOR_WORDS[by]} of 0, and 0/0 = NaN in every row of it`,
    fixes: epsilonFix(ctx, model, t),
    explanation: `nanguard cannot see the values of **${data.name}**, so it cannot tell whether a column is constant. If one is, its ${DIVISOR_WORDS[by]} is 0 and (x - mean) / 0 = 0/0 = NaN for every sample, which makes the loss NaN from the first batch. \`+ 1e-8\` in the divisor costs nothing on other columns.`,
  };
}

export const divByZeroNormalization: Rule = {
  id: 'NAN105',
  name: 'div-by-zero-normalization',
  cause: 'div-by-zero-normalization',
  title: 'Hand-written normalization divides by std, range or max with no epsilon',
  defaultSeverity: 'error',
  docs: {
    whatItDoes:
      'Finds hand-written scaling on the way to `fit` that divides by a column statistic, `X.std(axis=0)`, `df.std()`, `X.max(axis=0) - X.min(axis=0)` or `X.max(axis=0)`, with no epsilon. When the values are known (a workspace data file, a literal) it checks each column: a constant column makes the division certain to give NaN, and the finding names the column (an error). A column the code itself sets to one value before the division (`X[:, 7] = 0.0`) is constant whatever the rest of the data is. On data it cannot see it notes (info) std and range divisors with no epsilon. A statistic of the whole array (`np.std(X)`, `X.max() - X.min()` with no `axis`) is one number over every value, which is 0 only when the whole array is constant: it is flagged only when the values show that. The same division inside a subclassed model\'s `call`, by statistics the program computed from its data (`(x - self.mean) / tf.sqrt(self.var)` with `var = nums.var(axis=0)`), is checked against the columns of that data.',
    whyItFails:
      'A constant column has standard deviation 0 and range 0. Standardising it computes (x - mean) / std = (7 - 7) / 0 = 0/0, which IEEE 754 defines as NaN, in every row. The NaN goes into the first layer with every sample, the first batch\'s loss is NaN, and the update writes NaN into every weight. A column that is all zeros does the same under division by its max. Real data has such columns more often than one expects: a sensor that never changed, a status flag, an image border that is always 0.',
    example: [
      '```python',
      'import pandas as pd',
      '',
      'df = pd.read_csv("sensors.csv")          # column status is 7 in every row',
      'X = df[["pressure", "temp", "flow", "status"]].values',
      'X = (X - X.mean(axis=0)) / X.std(axis=0)',
      'autoencoder.fit(X, X, epochs=20)',
      '```',
    ].join('\n'),
    fix: ['Add an epsilon to the divisor (or drop constant columns, or use `StandardScaler`, which leaves them unscaled).', '', '```python', 'X = (X - X.mean(axis=0)) / (X.std(axis=0) + 1e-8)', '```'].join('\n'),
    measured: 'NaN from the first batch in 8 of 8 seeds; none with + 1e-8 in the divisor',
    evidence:
      'Trained for real in Keras 3.15 (CPU, `test/evidence/NAN105.py`, 8 seeds): four normal columns, one of them constant, standardised by hand as in the example and fed to a 4-8-2-8-4 Dense autoencoder: the loss is NaN from the first batch in all 8 seeds, for division by the std and by max - min alike. With `+ 1e-8` in the divisor none of the 8 goes NaN.',
  },
  check(ctx) {
    const { model } = ctx;
    const hits: RuleHit[] = [];
    const seen = new Set<string>();
    // The arrays fit receives, and those a subclassed model's own call scales by their statistics.
    for (const data of [...arraysOf(model).map((r) => r.data), ...(model.data.scaledInCall ?? [])]) {
      for (const t of data.transforms) {
        if (t.kind !== 'divide' || t.epsilon || (t.by !== 'std' && t.by !== 'range' && t.by !== 'max')) continue;
        const key = `${t.location.range.start.line}:${t.location.range.start.character}`;
        if (seen.has(key)) continue;
        const hit = hitFor(ctx, model, data, t, t.by);
        if (hit) {
          seen.add(key);
          hits.push(hit);
        }
      }
    }
    return hits;
  },
};
