import { unscaledInput } from './nan101-unscaled-input';
import { featureScaleDisparity } from './nan102-feature-scale-disparity';
import { outliers } from './nan103-outliers';
import { outputRangeMismatch } from './nan201-output-range-mismatch';
import { sigmoidBottleneck } from './nan202-sigmoid-bottleneck';
import { tinyBottleneck } from './nan203-tiny-bottleneck';
import { tooDeep } from './nan204-too-deep';
import { noNormalization } from './nan205-no-normalization';
import { reluInRecurrent } from './nan206-relu-in-recurrent';
import { highLearningRate } from './nan301-high-learning-rate';
import { lowLearningRate } from './nan302-low-learning-rate';
import { smallAdamEpsilon } from './nan303-small-adam-epsilon';
import { noGradClipping } from './nan304-no-grad-clipping';
import { noEarlyStopping } from './nan601-no-early-stopping';
import { nanInData } from './nan104-nan-in-data';
import { divByZeroNormalization } from './nan105-div-by-zero-normalization';
import { logOfNonpositive } from './nan106-log-of-nonpositive';
import { badInit } from './nan207-bad-init';
import { unscaledPixelsBce } from './nan208-unscaled-pixels-bce';
import { expOverflowVae } from './nan401-exp-overflow-vae';
import { bceTargetOutOfRange } from './nan402-bce-target-out-of-range';
import { fp16Overflow } from './nan403-fp16-overflow';
import { customLossUnstable } from './nan404-custom-loss-unstable';
import { nanMaskedLoss } from './nan405-nan-masked-loss';
import { emptyValidation } from './nan501-empty-validation';
import { tinyValidation } from './nan502-tiny-validation';
import { valDistributionShift } from './nan503-val-distribution-shift';
import type { Rule } from './rule';

/** Every rule, in id order. Each lives in its own file beside this one. */
export const ALL_RULES: readonly Rule[] = [
  unscaledInput,
  featureScaleDisparity,
  outliers,
  nanInData,
  divByZeroNormalization,
  logOfNonpositive,
  outputRangeMismatch,
  sigmoidBottleneck,
  tinyBottleneck,
  tooDeep,
  noNormalization,
  reluInRecurrent,
  badInit,
  unscaledPixelsBce,
  highLearningRate,
  lowLearningRate,
  smallAdamEpsilon,
  noGradClipping,
  expOverflowVae,
  bceTargetOutOfRange,
  fp16Overflow,
  customLossUnstable,
  nanMaskedLoss,
  emptyValidation,
  tinyValidation,
  valDistributionShift,
  noEarlyStopping,
];

export function findRule(idOrName: string): Rule | undefined {
  const q = idOrName.trim().toUpperCase();
  return ALL_RULES.find((r) => r.id === q || r.name.toUpperCase() === q);
}
