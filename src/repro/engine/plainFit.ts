/**
 * A plain `model.fit` of a plan's model and data with tfjs's own optimizer and loss: the
 * baseline the reproduction loop's per-epoch cost is measured against (bench only).
 */
import { materializeData, type ReproPlan } from '../plan';
import type { BackendChoice } from '../protocol';
import { selectBackend } from './backend';
import { buildModel } from './model';
import { tf } from './tf';

export async function plainFit(plan: ReproPlan, backend: BackendChoice, nativeFolder?: string): Promise<{ backend: string; perEpochMs: number; epochMs: number[]; finalLoss: number }> {
  if (plan.compile.addedLosses) throw new Error('the plain fit baseline compiles a Keras loss alone; this plan trains on added losses');
  const chosen = await selectBackend(backend, plan.estimatedParameters, { nativeFolder });
  if ('problem' in chosen) throw new Error(chosen.problem);
  const data = materializeData(plan);
  const built = await buildModel(plan);
  const lr = Number(plan.compile.optimizer.config.learning_rate);
  const optimizer = plan.compile.optimizer.className === 'SGD' ? tf.train.sgd(lr) : tf.train.adam(lr, 0.9, 0.999, 1e-7);
  const loss = plan.compile.loss === 'binary_crossentropy' ? 'binaryCrossentropy' : plan.compile.loss === 'mae' ? 'meanAbsoluteError' : 'meanSquaredError';
  built.model.compile({ optimizer, loss });
  // Targets in the output's shape (an image for a conv autoencoder, a sequence for a recurrent one).
  const outShape = (built.model.outputs[0].shape.slice(1) as (number | null)[]).map((d) => d ?? 1);
  const x = tf.tensor(data.x.flat(), [data.x.length, ...plan.inputShape]);
  const y = tf.tensor(data.y.flat(), [data.y.length, ...outShape]);
  const validationData: [tf.Tensor, tf.Tensor] | undefined = data.valX && data.valY ? [tf.tensor(data.valX.flat(), [data.valX.length, ...plan.inputShape]), tf.tensor(data.valY.flat(), [data.valY.length, ...outShape])] : undefined;
  const started = performance.now();
  const ends: number[] = [];
  const history = await built.model.fit(x, y, { epochs: plan.fit.epochs, batchSize: plan.fit.batchSize, shuffle: plan.fit.shuffle, validationData, verbose: 0, callbacks: { onEpochEnd: async () => void ends.push(performance.now()) } });
  const elapsed = performance.now() - started;
  const epochMs = ends.map((t, i) => t - (i === 0 ? started : ends[i - 1]));
  const losses = history.history.loss as number[];
  tf.dispose([x, y, ...(validationData ?? [])]);
  return { backend: chosen.backend, perEpochMs: elapsed / plan.fit.epochs, epochMs, finalLoss: losses[losses.length - 1] };
}
