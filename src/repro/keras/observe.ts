/**
 * From what the Keras engine saw at the program's first fit to the facts the rules read
 * (core/observed.ts): the same statistics, in the analysis's words and coordinates.
 */
import { resolve } from 'node:path';
import type { FeatureStats } from '../../core/ir';
import type { ObservedArray, ObservedFit } from '../../core/observed';
import { fromWire } from '../protocol';
import type { ArrayStats } from './events';
import type { ObservedFit as ObservedEvent } from './engine';

function observedArray(stats: ArrayStats | null): ObservedArray | null {
  if (!stats?.perFeature) return null;
  const p = stats.perFeature;
  const num = (v: (typeof p.min)[number]): number => (v === null ? NaN : fromWire(v));
  const features: FeatureStats[] = p.min.map((_, i) => {
    const min = num(p.min[i]);
    const max = num(p.max[i]);
    return {
      count: p.count[i],
      nanCount: p.nanCount[i],
      infCount: p.infCount[i],
      min,
      max,
      mean: num(p.mean[i]),
      std: num(p.std[i]),
      ...(p.count[i] > 0 && min === max ? { constant: true } : {}),
    };
  });
  return { shape: stats.shape, features, featureCount: stats.features, ...(stats.batchesRead !== undefined ? { batchesRead: stats.batchesRead } : {}) };
}

/**
 * The facts of an observed fit. `file` is the program that ran (absolute); the fit's line is
 * kept only when the call is in that file (1-based there, 0-based here).
 */
export function observedFacts(event: ObservedEvent, file: string): ObservedFit {
  const inFile = event.at !== null && resolve(event.at.file) === resolve(file);
  return {
    line: inFile ? event.at!.line - 1 : null,
    modelName: event.model.variable ?? event.model.name,
    x: observedArray(event.x),
    y: event.yIsX ? null : observedArray(event.y),
    validation: event.validation ? { x: observedArray(event.validation.x), y: observedArray(event.validation.y) } : null,
    yIsX: event.yIsX,
  };
}
