/**
 * A plain `model.fit` of a plan's model and data with tfjs's own optimizer and loss: the
 * baseline the reproduction loop's per-epoch cost is measured against (bench only).
 */
import { materializeData, type ReproPlan } from '../plan';
import type { BackendChoice } from '../protocol';
import { selectBackend } from './backend';
import { buildModel } from './model';
import { tf } from './tf';

export async function plainFit(plan: ReproPlan, backend: BackendChoice): Promise<{ backend: string; perEpochMs: number; finalLoss: number }> {
  const chosen = await selectBackend(backend, plan.estimatedParameters);
  if ('problem' in chosen) throw new Error(chosen.problem);
  const data = materializeData(plan);
  const built = await buildModel(plan);
  const lr = Number(plan.compile.optimizer.config.learning_rate);
  const optimizer = plan.compile.optimizer.className === 'SGD' ? tf.train.sgd(lr) : tf.train.adam(lr, 0.9, 0.999, 1e-7);
  built.model.compile({ optimizer, loss: 'meanSquaredError' });
  const outWidth = data.y[0].length;
  const x = tf.tensor(data.x.flat(), [data.x.length, ...plan.inputShape]);
  const y = tf.tensor(data.y.flat(), [data.y.length, outWidth]);
  const validationData: [tf.Tensor, tf.Tensor] | undefined = data.valX && data.valY ? [tf.tensor(data.valX.flat(), [data.valX.length, ...plan.inputShape]), tf.tensor(data.valY.flat(), [data.valY.length, outWidth])] : undefined;
  const started = performance.now();
  const history = await built.model.fit(x, y, { epochs: plan.fit.epochs, batchSize: plan.fit.batchSize, shuffle: plan.fit.shuffle, validationData, verbose: 0 });
  const elapsed = performance.now() - started;
  const losses = history.history.loss as number[];
  tf.dispose([x, y, ...(validationData ?? [])]);
  return { backend: chosen.backend, perEpochMs: elapsed / plan.fit.epochs, finalLoss: losses[losses.length - 1] };
}
