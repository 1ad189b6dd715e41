// How a loss expression depends on the samples of its batch decides whether a batch may run as
// micro-batches with the same step: a mean over the samples may, a sum or a nonlinear function of
// the whole batch may not (see plan.ts, microBatchProblem).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { batchDependence, type TensorExpr } from '../../src/core/tensorExpr';

const arg = (index: number): TensorExpr => ({ op: 'arg', index });
const c = (value: number): TensorExpr => ({ op: 'const', value });
const mean = (x: TensorExpr, axis: number[] | null = null): TensorExpr => ({ op: 'mean', x, axis, keepdims: false });
const sum = (x: TensorExpr, axis: number[] | null = null): TensorExpr => ({ op: 'sum', x, axis, keepdims: false });
const sq = (x: TensorExpr): TensorExpr => ({ op: 'square', x });
const sub = (a: TensorExpr, b: TensorExpr): TensorExpr => ({ op: 'sub', a, b });
const add = (a: TensorExpr, b: TensorExpr): TensorExpr => ({ op: 'add', a, b });
const mul = (a: TensorExpr, b: TensorExpr): TensorExpr => ({ op: 'mul', a, b });

describe('batchDependence', () => {
  it("the Keras VAE's added loss, K.mean(reconstruction_loss + kl_loss), is a batch mean", () => {
    // reconstruction_loss = original_dim * binary_crossentropy(K.flatten(x), K.flatten(x_decoded)): a mean over every value.
    const reconstruction = mul(c(784), mean({ op: 'bce', a: { op: 'flatten', x: arg(0) }, b: { op: 'flatten', x: arg(1) } }, [-1]));
    // kl_loss = -0.5 * K.sum(1 + z_log_var - K.square(z_mean) - K.exp(z_log_var), axis=-1): one value a sample.
    const kl = mul(c(-0.5), sum(sub(sub(add(c(1), arg(3)), sq(arg(2))), { op: 'exp', x: arg(3) }), [-1]));
    assert.equal(batchDependence(reconstruction), 'mean');
    assert.equal(batchDependence(kl), 'sample');
    assert.equal(batchDependence(add(reconstruction, kl)), 'shifted');
    assert.equal(batchDependence(mean(add(reconstruction, kl))), 'mean');
  });

  it('per-sample losses, and means of them, are linear in the samples; sums and roots over the batch are not', () => {
    const error = sq(sub(arg(1), arg(0)));
    assert.equal(batchDependence(mean(error, [-1])), 'sample');
    assert.equal(batchDependence(mean(error)), 'mean');
    assert.equal(batchDependence(mul(c(0.5), mean(error))), 'mean');
    assert.equal(batchDependence(sum(error)), 'other');
    assert.equal(batchDependence(sum(mean(error, [-1]), [0])), 'other');
    assert.equal(batchDependence({ op: 'sqrt', x: mean(error) }), 'other');
    assert.equal(batchDependence(mul(mean(error), mean(error))), 'other');
    assert.equal(batchDependence({ op: 'max', x: error, axis: null, keepdims: false }), 'other');
  });

  it('noise of the batch it is given is per sample; noise of a fixed number of rows is not', () => {
    assert.equal(batchDependence({ op: 'random_normal', shape: [{ of: arg(0), axis: 0 }, 2], mean: 0, stddev: 1 }), 'sample');
    assert.equal(batchDependence({ op: 'random_normal', shape: { like: arg(0) }, mean: 0, stddev: 1 }), 'sample');
    assert.equal(batchDependence({ op: 'random_normal', shape: [32, 2], mean: 0, stddev: 1 }), 'other');
  });

  it('a slice along the batch mixes samples; along another axis it does not', () => {
    assert.equal(batchDependence({ op: 'slice', x: arg(0), axis: 1, begin: 0, size: 2 }), 'sample');
    assert.equal(batchDependence({ op: 'slice', x: arg(0), axis: 0, begin: 0, size: 2 }), 'other');
  });
});
