// What the analysis infers for arrays, on the minimal programs the differential oracle
// (test/fidelity/oracle.test.ts) shrank its contradictions to: each expectation here is what
// numpy, pandas or scikit-learn give for the same program. "Unknown" (no shape, no statistics)
// is allowed; a claim numpy contradicts is not.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyzeFile, NO_FILES } from '../../src/core/index';
import type { DataSpec, FeatureStats } from '../../src/core/ir';

const HEADER = 'import numpy as np\nimport pandas as pd\nfrom sklearn.preprocessing import MinMaxScaler, StandardScaler\nfrom sklearn.model_selection import train_test_split\nfrom tensorflow import keras\nfrom tensorflow.keras import layers\n';

/** The array `fit` gets when the program ends with `model.fit(X, X)`. */
async function fitted(data: string, variable = 'X'): Promise<DataSpec> {
  const model = `model = keras.Sequential([keras.Input(shape=(1,)), layers.Dense(1)])\nmodel.compile(optimizer="adam", loss="mse")\nmodel.fit(${variable}, ${variable}, epochs=1)\n`;
  const analysis = await analyzeFile('oracle_case.py', `${HEADER}${data}\n${model}`, NO_FILES);
  const train = analysis.models.find((m) => m.fit)?.data.train;
  assert.ok(train, 'a model with its fit data');
  return train;
}

function close(actual: number, expected: number, tolerance = 1e-9): void {
  assert.ok(Math.abs(actual - expected) <= tolerance * Math.max(1, Math.abs(expected)), `${actual} is not ${expected}`);
}

function only(stats: FeatureStats[] | undefined, i = 0): FeatureStats {
  assert.ok(stats?.[i], 'expected statistics');
  return stats[i];
}

describe('arrays as numpy builds them', () => {
  it('.T transposes: the shape reverses, written-out values move, bounds count the new rows', async () => {
    const t = await fitted('X = np.array([[1, 2, 3], [4, 5, 6]]).T');
    assert.deepEqual(t.shape, [3, 2]);
    assert.deepEqual(t.stats?.map((s) => [s.min, s.max]), [[1, 3], [4, 6]]);
    const r = await fitted('X = np.random.rand(5, 100).T');
    assert.deepEqual(r.shape, [100, 5]);
    assert.equal(r.stats?.length, 5);
    assert.equal(only(r.stats).count, 100);
  });

  it('slices count the rows they keep and keep only the features they select', async () => {
    const rows = await fitted('X = np.random.rand(100, 5)\nX = X[:80]');
    assert.deepEqual(rows.shape, [80, 5]);
    assert.equal(only(rows.stats).count, 80);
    const every = await fitted('X = np.random.rand(100, 5)[::3]');
    assert.deepEqual(every.shape, [34, 5]);
    const columns = await fitted('X = np.array([[1, 10, 100], [2, 20, 200]])\nX = X[:, 1:3]');
    assert.deepEqual(columns.shape, [2, 2]);
    assert.deepEqual(columns.stats?.map((s) => s.max), [20, 200]);
    const column = await fitted('X = np.random.standard_normal((54, 6))\nX = X[:, 1]');
    assert.deepEqual(column.shape, [54]);
    assert.equal(column.stats?.length, 1);
    const element = await fitted('D = np.array([[1.5, 2.5], [3.5, 4.5]])\nv = D[1, 0]\nX = np.random.rand(4, 1) * v');
    close(only(element.stats).max, 3.5);
  });

  it('np.newaxis, None and expand_dims add a dimension of 1 where numpy puts it', async () => {
    assert.deepEqual((await fitted('X = np.random.normal(-5, 10, size=(58,))\nX = X[..., np.newaxis]')).shape, [58, 1]);
    assert.deepEqual((await fitted('X = np.random.rand(8, 3)\nX = X[:, None]')).shape, [8, 1, 3]);
    assert.deepEqual((await fitted('X = np.random.rand(8, 3)\nX = np.expand_dims(X, -1)')).shape, [8, 3, 1]);
    const front = await fitted('X = np.array([[1.0, 2.0], [3.0, 4.0]])\nX = np.expand_dims(X, 0)');
    assert.deepEqual(front.shape, [1, 2, 2]);
    assert.equal(front.stats?.length, 4);
  });

  it('reshape(-1) and ravel regroup the values into one feature', async () => {
    const flat = await fitted('X = np.array([[1, 2], [3, 4]]).reshape(-1)');
    assert.deepEqual(flat.shape, [4]);
    assert.equal(flat.stats?.length, 1);
    assert.equal(only(flat.stats).count, 4);
    const ravel = await fitted('X = np.random.rand(6, 4).ravel()');
    assert.deepEqual(ravel.shape, [24]);
    assert.equal(only(ravel.stats).count, 24);
    // A reshape that keeps the samples keeps their features in order.
    const samples = await fitted('X = np.array([[1, 2, 3, 4], [5, 6, 7, 8]]).reshape(2, 2, 2)');
    assert.deepEqual(samples.shape, [2, 2, 2]);
    assert.deepEqual(samples.stats?.map((s) => s.max), [5, 6, 7, 8]);
  });

  it('a NaN or inf written into a cell is counted once; a constant written to a column makes it constant', async () => {
    const nan = await fitted('X = np.random.rand(10, 3)\nX[2, 1] = np.nan\nX[2, 1] = np.nan');
    assert.equal(nan.stats?.[1].nanCount, 1);
    assert.equal(nan.stats?.[1].count, 9);
    assert.equal(nan.stats?.[0].nanCount, 0);
    const row = await fitted('X = np.random.rand(2, 1)\nX[0] = np.nan');
    assert.equal(only(row.stats).nanCount, 1);
    const literal = await fitted('X = np.array([[1.0, 2.0], [3.0, 4.0]])\nX[0, 0] = np.inf');
    assert.equal(only(literal.stats).infCount, 1);
    assert.equal(literal.statsKind, 'exact');
    const constant = await fitted('X = np.random.rand(20, 3)\nX[:, 2] = 7.5');
    assert.deepEqual([constant.stats?.[2].min, constant.stats?.[2].max], [7.5, 7.5]);
    const frame = await fitted('df = pd.DataFrame(np.random.rand(75, 4), columns=["a", "b", "c", "d"])\ndf.iloc[63, 2] = np.nan\nX = df.values');
    assert.equal(frame.stats?.[2].nanCount, 1);
    // A slice may or may not hold the NaN: its counts are not known, so neither are its statistics.
    assert.equal((await fitted('X = np.random.rand(10, 3)\nX[2, 1] = np.nan\nX = X[5:]')).stats, undefined);
  });

  it("numpy's mean of a column holding a NaN is NaN, and so is the column after subtracting it; pandas skips NaN", async () => {
    const numpy = await fitted('X = np.array([[1.0, np.nan], [3.0, 4.0]])\nX = X - X.mean(axis=0)');
    assert.equal(numpy.stats?.[1].nanCount, 2);
    assert.deepEqual([numpy.stats?.[0].min, numpy.stats?.[0].max], [-1, 1]);
    const pandas = await fitted('df = pd.DataFrame(np.array([[1.0, np.nan], [3.0, 4.0], [5.0, 8.0]]))\ndf = df - df.mean()\nX = df.values');
    assert.equal(pandas.stats?.[1].nanCount, 1);
    assert.deepEqual([pandas.stats?.[1].min, pandas.stats?.[1].max], [-2, 2]);
  });

  it("pandas's std divides by n - 1", async () => {
    const z = await fitted('df = pd.DataFrame(np.array([[1.0], [2.0], [3.0], [4.0]]))\ndf = (df - df.mean()) / df.std()\nX = df.values');
    // sample std of 1..4 is 1.2909944; (4 - 2.5) / 1.2909944 = 1.1618950
    close(only(z.stats).max, 1.5 / Math.sqrt(5 / 3), 1e-12);
    const numpy = await fitted('X = np.array([[1.0], [2.0], [3.0], [4.0]])\nX = (X - X.mean(axis=0)) / X.std(axis=0)');
    close(only(numpy.stats).max, 1.5 / Math.sqrt(1.25), 1e-12);
  });

  it("random data rescaled by its own mean and std: unknown on few rows, the distribution's range with a slack on many", async () => {
    const few = await fitted('X = np.random.rand(3, 1)\nX = X - np.mean(X, axis=0)');
    assert.equal(few.stats, undefined);
    const many = await fitted('X = np.random.uniform(0, 1000, size=(256, 8))\nX = (X - X.mean(axis=0)) / X.std(axis=0)');
    close(only(many.stats).max, Math.sqrt(3), 1e-9);
    assert.ok((many.statsSlack ?? 0) > 0);
    const scaler = await fitted('X = np.random.uniform(0, 1000, size=(256, 8))\nX = StandardScaler().fit_transform(X)');
    close(only(scaler.stats).max, Math.sqrt(3), 1e-9);
    assert.ok((scaler.statsSlack ?? 0) > 0);
    // A MinMaxScaler puts the data it was fitted on within its range exactly, however few rows.
    const minmax = await fitted('X = np.random.randn(5, 2)\nX = MinMaxScaler().fit_transform(X)');
    assert.deepEqual([only(minmax.stats).min, only(minmax.stats).max], [0, 1]);
    assert.equal(minmax.statsSlack, undefined);
  });

  it("a scaler's output is a numpy array even for a DataFrame: its whole-array min holding a NaN is NaN", async () => {
    const scaled = await fitted('X = np.array([[np.nan, 7.0], [10.0, -1.0]])\ndf = pd.DataFrame(X)\nX = MinMaxScaler().fit_transform(df)\nX = (X - X.min()) / (X.max() - X.min())');
    assert.deepEqual(scaled.stats?.map((s) => s.nanCount), [2, 2]);
  });

  it("a column constant but for the rounding of its sum: its z-score is NaN in numpy, or unknown, never finite", async () => {
    const program = [
      'X = np.array([[3, 2, 5000, 1, 10, 2.5], [0.001, -1, -3.25, 1, 0, 100], [42, 0.5, -3.25, 5000, 2, 100]]).T',
      'X[:, 1] = 5.0',
      'X = (X - X.mean()) / (X.std() + 1e-8)',
      'X = (X - X.mean(axis=0)) / (X.std(axis=0))',
    ].join('\n');
    const z = await fitted(program);
    // Column 1 is one computed value repeated; whether its std is 0 (numpy: NaN) or a rounding (huge values) depends on how its sum rounds.
    assert.ok(z.stats === undefined || z.stats[1].nanCount === 6, `column 1: ${JSON.stringify(z.stats?.[1])}`);
    // Written-out constants add up exactly: 0 / 0 is certain.
    const exact = await fitted('X = np.array([[1.0, 5.0], [2.0, 5.0], [4.0, 5.0]])\nX = (X - X.mean(axis=0)) / X.std(axis=0)');
    assert.equal(exact.stats?.[1].nanCount, 3);
  });

  it('float32 arrays overflow as float32 does', async () => {
    const e = await fitted('X = np.array([np.nan, 10])\nX = X.astype("float32")\nX = 255.0 - X\nX = np.exp(X)');
    assert.equal(only(e.stats).infCount, 1);
    assert.equal(only(e.stats).nanCount, 1);
  });

  it('astype(int) of computed values a rounding away from an integer keeps bounds wide enough', async () => {
    const cast = await fitted('X = np.random.randint(250, size=(2, 1))\nscaler = MinMaxScaler(feature_range=(-1, 1))\nscaler.fit(X)\nX = scaler.transform(X)\nX = X.astype("int32")');
    assert.ok(only(cast.stats).max >= 1 && only(cast.stats).min <= -1, JSON.stringify(cast.stats));
  });

  it('zeros, ones, full, arange and linspace are known values, computed as numpy fills them', async () => {
    const a = await fitted('X = np.arange(0.1, 1.0, 0.3)');
    assert.deepEqual(a.shape, [3]);
    assert.deepEqual([only(a.stats).min, only(a.stats).max], [0.1, 0.7000000000000001]);
    const l = await fitted('X = np.linspace(0, 1000, 12).reshape(-1, 3)');
    assert.deepEqual(l.shape, [4, 3]);
    assert.equal(l.stats?.[2].max, 1000);
    const f = await fitted('X = np.full((4, 2), 7.5)');
    assert.deepEqual([only(f.stats).min, only(f.stats).max, only(f.stats).std], [7.5, 7.5, 0]);
    assert.equal((await fitted('X = np.zeros((3, 2))')).statsKind, 'exact');
  });

  it('concatenation, repeat and tile join values and pool statistics', async () => {
    const v = await fitted('X = np.concatenate([np.array([[1.0, 2.0], [3.0, 4.0]]), np.zeros((1, 2))])');
    assert.deepEqual(v.shape, [3, 2]);
    close(only(v.stats, 1).std, 1.632993161855452);
    const h = await fitted('X = np.hstack([np.array([[1.0], [2.0]]), np.ones((2, 1)) * 7])');
    assert.deepEqual(h.shape, [2, 2]);
    assert.deepEqual([only(h.stats, 1).min, only(h.stats, 1).max], [7, 7]);
    const r = await fitted('X = np.repeat(np.array([[1.0], [3.0]]), 3, axis=0)');
    assert.deepEqual([r.shape, only(r.stats).count], [[6, 1], 6]);
    const t = await fitted('X = np.tile(np.random.rand(10, 2), (2, 1))');
    assert.deepEqual([t.shape, only(t.stats).count, t.statsKind], [[20, 2], 20, 'bounds']);
  });

  it('monotone functions of bounds are bounds; where a value may fall outside the domain, unknown', async () => {
    const log = await fitted('X = np.log1p(np.random.rand(50, 2) * 100)');
    assert.equal(log.statsKind, 'bounds');
    assert.ok(only(log.stats).max >= Math.log1p(100) && only(log.stats).min <= 0);
    assert.equal((await fitted('X = np.log(np.random.randn(50, 2))')).stats, undefined);
    // A z-score leaves the middle value a rounding away from 0: sqrt gives NaN or a tiny number, as numpy's rounding falls.
    const edge = await fitted('X = np.linspace(0, 1000, 12).reshape(-1, 3)[:-1]\nX = (X - X.mean(axis=0)) / X.std(axis=0)\nX = np.sqrt(X)');
    assert.equal(edge.stats, undefined);
  });

  it('np.where(np.isnan(x), v, x) fills NaN cells', async () => {
    const w = await fitted('X = np.array([[1.0, np.nan], [3.0, 4.0]])\nX = np.where(np.isnan(X), 0.0, X)');
    assert.deepEqual(w.stats?.map((s) => [s.nanCount, s.min]), [[0, 1], [0, 0]]);
  });

  it("scikit-learn's scalers on a constant column: MinMaxScaler puts it at the range's low end, StandardScaler leaves it centred", async () => {
    const minmax = await fitted('X = np.tanh(np.ones((5, 1)) * 10)\nX = MinMaxScaler(feature_range=(-1, 1)).fit_transform(X)');
    // -1 (numpy's vectorised tanh and JavaScript's may differ in the last bit, which the scaling's cancellation keeps).
    close(only(minmax.stats).min, -1, 1e-15);
    close(only(minmax.stats).max, -1, 1e-15);
    const standard = await fitted('X = np.tanh(np.ones((6, 1)) * 7.0)\nX = StandardScaler().fit_transform(X)');
    assert.ok(Math.abs(only(standard.stats).max) < 1e-15, JSON.stringify(standard.stats));
  });

  it("a statistic of each row (axis=1) is not a column's: what it scales is unknown", async () => {
    const rows = await fitted('X = np.array([[1.0, 2.0], [3.0, 7.0]])\nX = X - X.mean(axis=1, keepdims=True)');
    assert.equal(rows.stats, undefined);
    assert.deepEqual(rows.shape, [2, 2]);
  });

  it('squeeze(axis) drops that dimension only', async () => {
    const s = await fitted('X = np.random.rand(2, 1)\nX = X[..., np.newaxis]\nX = np.squeeze(X, axis=1)');
    assert.deepEqual(s.shape, [2, 1]);
    assert.equal((await fitted('X = np.random.rand(2, 3)\nX = np.squeeze(X, axis=1)')).shape, undefined);
  });

  it('windows cut in a loop or a comprehension stack into rows, however many; a loop of unknown length leaves them unknown', async () => {
    const comprehension = await fitted('s = np.arange(10.0)\nX = np.array([s[i:i + 3] for i in range(len(s) - 3 + 1)])');
    assert.deepEqual(comprehension.shape, [8, 3]);
    assert.deepEqual(comprehension.stats?.map((f) => f.max), [7, 8, 9]);
    const loop = await fitted('s = np.random.rand(20)\nwindows = []\nfor i in range(len(s) - 4):\n    windows.append(s[i:i + 5])\nX = np.array(windows)');
    assert.deepEqual(loop.shape, [16, 5]);
    assert.equal(only(loop.stats).count, 16);
    // 196 windows: more iterations than the walk follows item by item, recognised whole as sliding windows.
    const long = await fitted('s = np.random.rand(200)\nwindows = []\nfor i in range(len(s) - 4):\n    windows.append(s[i:i + 5])\nX = np.array(windows)');
    assert.deepEqual(long.shape, [196, 5]);
    assert.equal(long.statsKind, 'bounds');
    assert.ok(long.stats!.every((f) => f.count === 196 && f.min >= 0 && f.max <= 1), JSON.stringify(long.stats));
    const rows = await fitted('d = np.random.uniform(300, 900, (300, 5))\nX = np.array([d[i:i + 23] for i in range(len(d) - 23)])');
    assert.deepEqual(rows.shape, [277, 23, 5]);
    // A window past the end would be shorter (numpy refuses the ragged list): not claimed.
    assert.equal((await fitted('s = np.random.rand(200)\nX = np.array([s[i:i + 5] for i in range(len(s))])')).shape, undefined);
    const open = await fitted('s = np.random.rand(200)\nwindows = []\ni = 0\nwhile i < 190:\n    windows.append(s[i:i + 5])\n    i += 1\nX = np.array(windows)');
    assert.equal(open.shape, undefined);
  });

  it('lists of row numbers and np.random.choice pick as many rows', async () => {
    const fancy = await fitted('X = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])\nX = X[[0, 2, 2]]');
    assert.deepEqual(fancy.stats?.map((f) => f.mean), [11 / 3, 14 / 3]);
    const columns = await fitted('X = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])\nX = X[:, [1, 0]]');
    assert.deepEqual(columns.stats?.map((f) => f.min), [2, 1]);
    const choice = await fitted('X = np.random.rand(50, 3)\nidx = np.random.choice(len(X), 20, replace=False)\nX = X[idx]');
    assert.deepEqual(choice.shape, [20, 3]);
    assert.equal(only(choice.stats).count, 20);
  });

  it('rows dropped by dropna stay dropped when a later cast makes the values unknown', async () => {
    const cast = await fitted('X = np.array([[np.nan, 7], [10, -1]])\ndf = pd.DataFrame(X, columns=["c0", "c1"])\ndf = df.dropna()\nX = df.astype("int32").values');
    assert.deepEqual(cast.shape, [1, 2]);
    assert.deepEqual(cast.stats?.map((f) => f.max), [10, -1]);
  });

  it('random data scaled by its own min and range: within [0, 1] with draws enough, and x - x.min() within its range', async () => {
    const scaled = await fitted('X = np.random.normal(50, 10, size=(500, 3))\nX = (X - X.min(axis=0)) / (X.max(axis=0) - X.min(axis=0))');
    assert.deepEqual([only(scaled.stats).min, only(scaled.stats).max, scaled.statsKind], [0, 1, 'bounds']);
    assert.equal(scaled.statsSlack, undefined);
    const few = await fitted('X = np.random.randint(0, 2, size=(3, 2))\nX = (X - X.min(axis=0)) / (X.max(axis=0) - X.min(axis=0))');
    assert.equal(few.stats, undefined, 'a column of 3 draws of 0 or 1 may come out constant: 0 / 0');
    const shifted = await fitted('X = np.random.uniform(10, 20, size=(4, 2))\nX = X - X.min()');
    assert.deepEqual([only(shifted.stats).min, only(shifted.stats).max], [0, 10]);
  });

  it('np.stack along a later axis interleaves the arrays per sample; squares of bounds are bounds', async () => {
    const last = await fitted('X = np.array([[1.0, 2.0], [3.0, 4.0]])\nX = np.stack([X, X * 2.0], axis=-1)');
    assert.deepEqual(last.shape, [2, 2, 2]);
    assert.deepEqual(last.stats?.map((f) => f.min), [1, 2, 2, 4]);
    const middle = await fitted('X = np.array([[1.0, 2.0], [3.0, 4.0]])\nX = np.stack([X, X * 2.0], axis=1)');
    assert.deepEqual(middle.stats?.map((f) => f.min), [1, 2, 2, 4]);
    const bounds = await fitted('X = np.random.uniform(-2, 3, size=(10, 2))\nX = np.stack([X, X], axis=-1)');
    assert.deepEqual([bounds.shape, bounds.stats?.length], [[10, 2, 2], 4]);
    const square = await fitted('X = np.random.uniform(-2, 3, size=(10, 2)) ** 2');
    assert.ok(only(square.stats).min <= 0 && only(square.stats).max >= 9 && only(square.stats).max < 9.001, JSON.stringify(square.stats));
  });

  it('integer arithmetic past an int32 cast may wrap: values beyond the type are unknown', async () => {
    const cube = await fitted('X = np.array([[0.0, 100.0], [2.0, 0], [5000, -3.25]]).T\nX = X.astype("int32")\nX = np.power(X, 3)');
    assert.equal(cube.stats, undefined);
    const small = await fitted('X = np.array([[1.0, 2.0], [3.0, 4.0]]).astype("int32")\nX = X ** 2');
    assert.deepEqual(small.stats?.map((f) => f.max), [9, 16]);
  });

  it('normal draws are bounded by mean +- z std with z from their number', async () => {
    const one = await fitted('X = np.random.randn(1000, 1)');
    assert.ok(only(one.stats).max > 5.5 && only(one.stats).max < 6.5, `${only(one.stats).max}`);
  });

  it('train_test_split gives each part as many rows as scikit-learn does', async () => {
    const split = await fitted('X = np.random.rand(10, 2)\nX, X_test = train_test_split(X, test_size=0.25, random_state=0)');
    assert.deepEqual(split.shape, [7, 2]);
    assert.equal(only(split.stats).count, 7);
    const test = await fitted('X = np.random.rand(58, 1)\nX_train, X = train_test_split(X, test_size=0.2)');
    assert.deepEqual(test.shape, [12, 1]);
    const ordered = await fitted('D = np.array([[1.0], [2.0], [3.0], [4.0]])\nX, X_test = train_test_split(D, test_size=0.5, shuffle=False)');
    assert.equal(ordered.statsKind, 'exact');
    assert.equal(only(ordered.stats).max, 2);
    // Shuffled, a part of written-out values is known by bounds only.
    const shuffled = await fitted('D = np.array([[1.0], [2.0], [3.0], [4.0]])\nX, X_test = train_test_split(D, test_size=0.5)');
    assert.equal(shuffled.statsKind, 'bounds');
  });

  it('clip and nan_to_num turn NaN and inf into counted values', async () => {
    const clip = await fitted('X = np.random.rand(2)\nX[0] = np.inf\nX = np.clip(X, 0, 1)');
    assert.equal(only(clip.stats).count, 2);
    assert.equal(only(clip.stats).infCount, 0);
    const open = await fitted('X = np.random.rand(2)\nX[0] = np.inf\nX = np.clip(X, 0, None)');
    assert.equal(open.stats, undefined);
    const fill = await fitted('X = np.random.rand(2, 1)\nX[0] = np.nan\nX = np.nan_to_num(X)');
    assert.equal(only(fill.stats).count, 2);
    assert.equal(only(fill.stats).min, 0);
  });

  it('astype(int) truncates toward zero', async () => {
    const cast = await fitted('X = np.array([[1.7], [-2.5]]).astype(int)');
    assert.deepEqual([only(cast.stats).min, only(cast.stats).max], [-2, 1]);
  });

  it("fillna with the frame's means and dropna of written NaN cells", async () => {
    const filled = await fitted('df = pd.DataFrame(np.array([[1.0], [np.nan], [3.0]]))\ndf = df.fillna(df.mean())\nX = df.values');
    assert.equal(only(filled.stats).count, 3);
    close(only(filled.stats).std, Math.sqrt(2 / 3));
    const dropped = await fitted('df = pd.DataFrame(np.random.rand(10, 2))\ndf.iloc[3, 0] = np.nan\ndf.iloc[3, 1] = np.nan\ndf = df.dropna()\nX = df.values');
    assert.deepEqual(dropped.shape, [9, 2]);
    assert.equal(only(dropped.stats).count, 9);
    assert.equal(only(dropped.stats).nanCount, 0);
  });

  it('a boolean mask keeps an unknown number of rows', async () => {
    const masked = await fitted('X = np.random.rand(20, 3)\nX = X[X[:, 0] > 0.5]');
    assert.deepEqual(masked.shape, [null, 3]);
    assert.equal(masked.stats, undefined);
  });

  it('a permutation index reorders rows: the statistics stay', async () => {
    const shuffled = await fitted('X = np.array([[1.0], [5.0], [3.0]])\nidx = np.random.permutation(len(X))\nX = X[idx]');
    assert.equal(shuffled.statsKind, 'exact');
    assert.deepEqual([only(shuffled.stats).min, only(shuffled.stats).max, only(shuffled.stats).mean], [1, 5, 3]);
    const inPlace = await fitted('X = np.array([[1.0], [5.0], [3.0]])\nnp.random.shuffle(X)\nX = X[:2]');
    assert.equal(inPlace.statsKind, 'bounds');
    assert.equal(only(inPlace.stats).count, 2);
  });
});
