import { isBinaryCrossentropy, lossFromLogits } from './helpers/data-checks';
import { dataFacts, fitAnchor, fmt, pixelTargets } from './helpers/facts';
import { scaleDataFix } from './helpers/fixes';
import { validationInput } from './helpers/scaling';
import type { Rule } from './rule';

export const unscaledPixelsBce: Rule = {
  id: 'NAN208',
  name: 'unscaled-pixels-bce',
  cause: 'bce-target-out-of-range',
  title: 'A convolutional autoencoder trained with binary cross-entropy on 0-255 pixels',
  defaultSeverity: 'warning',
  docs: {
    whatItDoes:
      'Finds convolutional autoencoders (Conv2D, Conv2DTranspose, Conv1D) compiled with binary cross-entropy whose images reach `fit` with 8-bit pixel values (0-255, e.g. `keras.datasets.mnist` or a `uint8` .npy file) and no `/ 255.` on the way. A sigmoid output with MSE on such images is NAN201 (output-range-mismatch).',
    whyItFails:
      "The convolutional autoencoder tutorials divide by 255 for a reason: binary cross-entropy -(y log p + (1 - y) log(1 - p)) is only a reconstruction loss for y in [0, 1]. With y = 255 the loss is minimised by saturating p at 1 (Keras clips it to 1 - 1e-7), where it reaches 254 × log(1e-7) ≈ -4094 per pixel: the loss goes hugely negative, the sigmoid output saturates, and the reconstructions are white wherever the image is not exactly 0. The unscaled inputs also make the first convolutions' activations 255 times too large.",
    example: [
      '```python',
      '(x_train, _), (x_test, _) = keras.datasets.mnist.load_data()',
      'x_train = x_train.reshape(-1, 28, 28, 1).astype("float32")   # still 0-255',
      '...',
      'decoded = layers.Conv2D(1, 3, activation="sigmoid", padding="same")(x)',
      'autoencoder.compile(optimizer="adam", loss="binary_crossentropy")',
      'autoencoder.fit(x_train, x_train, epochs=10, batch_size=128)',
      '```',
    ].join('\n'),
    fix: ['Divide the images by 255 (training and validation alike).', '', '```python', 'x_train = x_train.astype("float32") / 255.', '```'].join('\n'),
    measured: 'never NaN; the loss goes negative and images come out white in 8 of 8 seeds',
    evidence: "Trained for real in Keras 3.15 (CPU, `test/evidence/NAN208.py`, 8 seeds, a Conv2D 16-8-8-16 autoencoder with a sigmoid output on 512 synthetic 28x28 uint8 images, Adam, 3 epochs): with binary cross-entropy on 0-255 pixels the loss falls to -7.7e4 to -2.6e5 and the reconstruction error, measured on the [0, 1] scale, is 0.92 in all 8 seeds (white images); with MSE on 0-255 it stalls at 3.7e3-3.9e3 (NAN201's case). Divided by 255, the same model reaches a binary cross-entropy of 0.27-0.40 and a reconstruction error of 0.050-0.083. None of the 24 runs went NaN: the model does not learn, so the rule is a warning.",
  },
  check(ctx) {
    const { model } = ctx;
    if (!isBinaryCrossentropy(model) || lossFromLogits(model) || !pixelTargets(model)) return [];
    const target = model.data.target ?? model.data.train!;
    const facts = dataFacts(target)!;
    const max = Math.max(...facts.stats.map((s) => s.max));
    const location = target.location ?? model.compile?.location ?? fitAnchor(model);
    if (!location) return [];
    const path = target.location?.path;
    const text = path ? ctx.sourceText(path) : undefined;
    const fix = path && text !== undefined ? scaleDataFix(text, path, target, validationInput(model), 'pixels') : undefined;
    return [
      {
        location,
        message: `${target.name} holds 8-bit pixels up to ${fmt(max)} (not divided by 255) and the loss is binary cross-entropy: with targets above 1 the loss falls without bound toward about -4094 per pixel as the sigmoid saturates, so the autoencoder learns white images instead of reconstructions`,
        fixes: fix ? [fix] : [],
        related: model.compile?.location ? [{ location: model.compile.location, message: 'binary cross-entropy set here' }] : [],
        explanation: `Binary cross-entropy treats each target pixel as a probability. ${target.name} reaches ${fmt(max)}; for y = ${fmt(max)} the term (1 - y) log(1 - p) = ${fmt(1 - max)} × log(1 - p) rewards p -> 1 without limit (Keras stops it at p = 1 - 1e-7, a loss of about ${fmt((1 - max) * 16.12)} for that pixel). Divide by 255 so that targets are in [0, 1].`,
      },
    ];
  },
};
