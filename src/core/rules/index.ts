import { unscaledInput } from './nan101-unscaled-input';
import { featureScaleDisparity } from './nan102-feature-scale-disparity';
import { outliers } from './nan103-outliers';
import { outputRangeMismatch } from './nan201-output-range-mismatch';
import { sigmoidBottleneck } from './nan202-sigmoid-bottleneck';
import { tinyBottleneck } from './nan203-tiny-bottleneck';
import { tooDeep } from './nan204-too-deep';
import { noNormalization } from './nan205-no-normalization';
import { highLearningRate } from './nan301-high-learning-rate';
import { lowLearningRate } from './nan302-low-learning-rate';
import { smallAdamEpsilon } from './nan303-small-adam-epsilon';
import { noGradClipping } from './nan304-no-grad-clipping';
import { noEarlyStopping } from './nan601-no-early-stopping';
import type { Rule } from './rule';

/** Every rule, in id order. Each lives in its own file beside this one. */
export const ALL_RULES: readonly Rule[] = [
  unscaledInput,
  featureScaleDisparity,
  outliers,
  outputRangeMismatch,
  sigmoidBottleneck,
  tinyBottleneck,
  tooDeep,
  noNormalization,
  highLearningRate,
  lowLearningRate,
  smallAdamEpsilon,
  noGradClipping,
  noEarlyStopping,
];

export function findRule(idOrName: string): Rule | undefined {
  const q = idOrName.trim().toUpperCase();
  return ALL_RULES.find((r) => r.id === q || r.name.toUpperCase() === q);
}
