import type { Fix } from '../findings';
import type { DataSpec, ModelSpec } from '../ir';
import { fileOriginLine } from './helpers/data-origin';
import { arraysOf, columnName, count, handlesNaN, ofWhat, plural, sampledNote, sourceStatsOf, type RoledData } from './helpers/data-checks';
import { fitAnchor } from './helpers/facts';
import { insertStatementAfterFix } from './helpers/fixes';
import type { Rule, RuleContext, RuleHit } from './rule';

/** Transforms that leave NaN in the first row(s) of every column. */
const NAN_MAKING = /^(pct_change|diff)$/;

function nanFixes(ctx: RuleContext, data: DataSpec): Fix[] {
  const fixes: Fix[] = [];
  const origin = fileOriginLine(data, ctx.sourceText);
  if (origin?.pandas) {
    const text = ctx.sourceText(origin.path);
    if (text !== undefined) {
      const drop = insertStatementAfterFix(text, origin.path, origin.line, `${origin.variable} = ${origin.variable}.dropna()`, `Drop the rows with missing values: ${origin.variable}.dropna()`, true);
      const fill = insertStatementAfterFix(text, origin.path, origin.line, `${origin.variable} = ${origin.variable}.fillna(0)`, `Fill missing values with 0: ${origin.variable}.fillna(0)`, false);
      if (drop) fixes.push(drop);
      if (fill) fixes.push(fill);
      return fixes;
    }
  }
  const loc = data.location;
  if (loc && /^[A-Za-z_]\w*$/.test(data.name)) {
    const text = ctx.sourceText(loc.path);
    const fix = text !== undefined ? insertStatementAfterFix(text, loc.path, loc.range.start.line, `${data.name} = np.nan_to_num(${data.name})`, `Replace NaN with 0 and infinities with large finite values: np.nan_to_num(${data.name})`, true, 'import numpy as np') : undefined;
    if (fix) fixes.push(fix);
  }
  return fixes;
}

function statsHit(ctx: RuleContext, model: ModelSpec, { role, data }: RoledData): RuleHit | undefined {
  const stats = sourceStatsOf(data);
  if (!stats) return undefined;
  const bad = stats.map((s, i) => ({ s, i })).filter(({ s }) => s.nanCount > 0 || s.infCount > 0);
  if (bad.length === 0) return undefined;
  const rows = data.dataFile ? data.dataFile.rows : Math.max(...stats.map((s) => s.count + s.nanCount + s.infCount));
  const parts = bad.slice(0, 3).map(({ s, i }) => {
    const what: string[] = [];
    const empty = s.emptyCount ?? 0;
    if (empty > 0) what.push(plural(empty, 'empty cell'));
    if (s.nanCount - empty > 0) what.push(`${plural(s.nanCount - empty, 'NaN value')}`);
    if (s.infCount > 0) what.push(plural(s.infCount, 'infinite value'));
    return `${columnName(s, i)} has ${what.join(' and ')}`;
  });
  const more = bad.length > 3 ? ` (and ${bad.length - 3} more columns)` : '';
  const total = bad.reduce((a, { s }) => a + s.nanCount + s.infCount, 0);
  const location = data.location ?? (data.source.kind === 'unknown' ? undefined : data.source.location) ?? fitAnchor(model);
  if (!location) return undefined;
  const kept = data.dataFile?.keptRows;
  const fromFile = kept ? ` in the rows the code keeps (${count(kept.first + 1)} to ${count(kept.end)} of ${count(rows)})` : data.dataFile ? ` out of ${count(rows)} rows` : ` out of ${count(rows)}`;
  return {
    location,
    message: `${parts.join('; ')}${fromFile}${ofWhat(data)}${more}, and nothing on the way to fit (${role}) drops or fills them: the first batch that contains one makes the loss NaN${sampledNote(data)}`,
    severity: 'error',
    fixes: nanFixes(ctx, data),
    related: model.fit?.location ? [{ location: model.fit.location, message: `${data.name} reaches fit here` }] : [],
    explanation: `${total === 1 ? 'One value' : `${count(total)} values`} of **${data.name}** ${data.dataFile ? `(read from ${data.dataFile.path}; ${data.dataFile.note})` : ''} ${total === 1 ? 'is' : 'are'} NaN or infinite. A Dense layer's output is a sum over its inputs, so one NaN input makes every unit of that sample NaN; the mean loss over the batch is then NaN, and so is every gradient. After that one update every weight is NaN and the loss never comes back.\n\nDrop or fill the missing values before training (\`dropna()\`, \`fillna(0)\`, a \`SimpleImputer\`, or \`np.nan_to_num\`).`,
  };
}

function transformHit(ctx: RuleContext, { role, data }: RoledData): RuleHit | undefined {
  const idx = data.transforms.findIndex((t) => t.kind === 'other' && NAN_MAKING.test(t.note));
  if (idx < 0) return undefined;
  if (data.transforms.slice(idx + 1).some((t) => t.kind === 'dropna' || t.kind === 'fillna' || t.kind === 'nan_to_num' || t.kind === 'impute')) return undefined;
  const t = data.transforms[idx] as Extract<DataSpec['transforms'][number], { kind: 'other' }>;
  return {
    location: t.location,
    message: `${t.note}() leaves the first row of every column NaN (there is no previous row), and nothing after it drops or fills them before ${data.name} reaches fit (${role}): the loss is NaN from the first batch${t.note === 'pct_change' ? '; a previous value of 0 also gives an infinite change' : ''}`,
    severity: 'error',
    fixes: nanFixes(ctx, data),
    explanation: `\`${t.note}()\` compares each row with the one before it, so row 0 has nothing to compare with and is NaN in every column${t.note === 'pct_change' ? ', and a change from 0 divides by 0 (x / 0 = inf)' : ''}. The NaN reaches the first batch, the loss of that batch is NaN, and so is every weight after the update. Add \`.dropna()\` after it.`,
  };
}

export const nanInData: Rule = {
  id: 'NAN104',
  name: 'nan-in-data',
  cause: 'nan-in-data',
  title: 'Data with missing or infinite values reaches fit without dropna/fillna',
  defaultSeverity: 'error',
  docs: {
    whatItDoes:
      'Reads the arrays passed to `fit` back to their source: a workspace data file (`pd.read_csv`, `np.load`, `np.loadtxt`, a JSON file), whose columns nanguard reads and counts (empty cells, NaN tokens, infinities), or a literal with `np.nan` in it. It fires when a column has missing or infinite values and no `dropna`, `fillna`, `np.nan_to_num` or imputer is on the way, and when `pct_change()` or `diff()` leave their first row NaN with no `dropna()` after them.',
    whyItFails:
      "NaN is contagious: any arithmetic with NaN gives NaN. A Dense unit computes w·x + b over all its inputs, so one missing cell makes that sample's every activation NaN, the batch's mean loss NaN, and every gradient NaN. One optimizer step then writes NaN into every weight, and the loss stays NaN for the rest of training. pandas reads an empty CSV cell as NaN, so 14 empty cells out of 2,000 rows are enough: with batches of 32, about 14 of the 63 batches contain one, and the first of them comes within the first epoch. `pct_change()` and `diff()` always produce NaN in row 0, and `pct_change()` gives inf after a 0.",
    example: [
      '```python',
      'import pandas as pd',
      '',
      'df = pd.read_csv("sensors.csv")        # column pressure has 14 empty cells',
      'X = df[["pressure", "temp", "flow"]].values.astype("float32")',
      '',
      "autoencoder.compile(optimizer='adam', loss='mse')",
      'autoencoder.fit(X, X, epochs=20, batch_size=32)',
      '```',
    ].join('\n'),
    fix: ['Drop or fill the missing values before the data reaches the network (or impute them with a `SimpleImputer`).', '', '```python', 'df = pd.read_csv("sensors.csv")', 'df = df.dropna()', '```'].join('\n'),
    measured: 'NaN in the first epoch in 8 of 8 seeds; none with dropna() or fillna(0)',
    evidence:
      'Trained for real in Keras 3.15 (CPU, `test/evidence/NAN104.py`, 8 seeds): a 2,000-row CSV of 4 standard-normal columns with 14 empty cells in one column, read with pandas and fed to a 4-8-2-8-4 Dense autoencoder (Adam, MSE, batch 32), gives a NaN loss in the first epoch in all 8 seeds (within its first 7 batches). With `dropna()` or `fillna(0)` none of the 8 goes NaN (losses 0.73-0.90 after 3 epochs). `pct_change()` on price series without `dropna()` goes NaN in the first epoch in all 8 seeds; with `dropna()` none does.',
  },
  check(ctx) {
    const { model } = ctx;
    const hits: RuleHit[] = [];
    for (const roled of arraysOf(model)) {
      const t = transformHit(ctx, roled);
      if (t) {
        hits.push(t);
        continue;
      }
      if (handlesNaN(roled.data)) continue;
      if (roled.data.source.kind === 'unknown' && roled.data.transforms.length === 0) {
        const p = roled.data.differenced;
        if (p) {
          hits.push({
            location: p.location,
            severity: 'error',
            message: `${p.method}() leaves the first row of every column NaN (there is no previous row), and nothing after it drops or fills them before ${roled.data.name} reaches fit (${roled.role}): the loss is NaN from the first batch`,
            explanation: `\`${p.method}()\` compares each row with the one before it, so row 0 is NaN in every column${p.method === 'pct_change' ? ', and a change from a previous value of 0 is x / 0 = inf' : ''}. Add \`.dropna()\` after it.`,
          });
          continue;
        }
      }
      const s = statsHit(ctx, model, roled);
      if (s) hits.push(s);
    }
    return hits;
  },
};
