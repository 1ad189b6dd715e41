/**
 * The cause vocabulary: the contract that CI pipelines and the JSON output rely on.
 * Add to it; never rename.
 */
export const CAUSES = {
  'unscaled-input': 'inputs reach the network far outside roughly [-10, 10] with no scaling on the way',
  'feature-scale-disparity': 'features differ in scale by 100x or more',
  outliers: 'a few values dwarf the rest of a feature',
  'nan-in-data': 'data can contain NaN/Inf (missing CSV values, pct_change, no dropna/fillna)',
  'div-by-zero-normalization': 'hand-written normalization divides by std, range or max with no epsilon',
  'log-of-nonpositive': 'log/sqrt/pow of values that can be zero or negative',
  'exp-overflow-vae': 'exp of an unbounded value, typically a VAE log-variance',
  'bce-target-out-of-range': 'binary cross-entropy with targets outside [0, 1] or outputs not in (0, 1)',
  'output-range-mismatch': 'the output activation cannot produce the target range',
  'high-learning-rate': "learning rate above the optimizer's sane range",
  'low-learning-rate': "learning rate below the optimizer's sane range",
  'small-adam-epsilon': 'Adam/RMSprop epsilon too small for the data',
  'sigmoid-bottleneck': 'saturating activation (sigmoid/tanh) in the bottleneck',
  'tiny-bottleneck': 'bottleneck too narrow for the input',
  'too-deep': 'deep stack of saturating layers with no normalization or residuals',
  'fp16-overflow': 'mixed_float16 with outputs or losses that overflow half precision',
  'custom-loss-unstable': 'a custom loss with an unguarded log, division or sqrt',
  'empty-validation': 'validation set empty',
  'tiny-validation': 'validation set smaller than a batch',
  'val-distribution-shift': 'validation data outside the training range, or validation_split on ordered data',
  'relu-in-recurrent': 'relu (or another unbounded activation) inside LSTM/GRU cells',
  'no-grad-clipping': 'a diverging setup with no clipnorm/clipvalue',
  'bad-init': 'initializers that start the network saturated or exploding',
  // Added by nanguard beyond the design's first list (additions only):
  'no-normalization': 'a deep or unscaled network with no normalization layer anywhere',
  'no-early-stopping': 'a long run with no EarlyStopping or TerminateOnNaN to stop a failing run',
  'nan-masked-loss': 'a loss or training step that replaces a NaN loss (where(is_nan), nan_to_num) instead of preventing it',
} as const;

export type Cause = keyof typeof CAUSES;

export function isCause(value: string): value is Cause {
  return Object.prototype.hasOwnProperty.call(CAUSES, value);
}
