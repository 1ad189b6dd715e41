/**
 * A deterministic corpus of realistic Keras autoencoder scripts for the benches: imports in
 * the styles people use, data from literals, `np.random`, files and scalers, several models
 * per script (dense, convolutional, denoising, recurrent, functional and Sequential),
 * compile and fit with callbacks, and the helper code that surrounds them in real projects.
 * The same seed always gives the same text.
 */

import { mulberry32 } from '../src/core/arrays';

/** mulberry32 seeded directly: small, fast, good enough for choosing among templates. */
export const seededRandom = (seed: number): (() => number) => mulberry32(seed);

type Rng = () => number;

function pick<T>(rng: Rng, items: readonly T[]): T {
  return items[Math.floor(rng() * items.length)];
}

function int(rng: Rng, lo: number, hi: number): number {
  return lo + Math.floor(rng() * (hi - lo + 1));
}

// Each style provides every name the sections use, the way real scripts import them.
const IMPORT_STYLES: readonly string[][] = [
  [
    'import numpy as np',
    'import pandas as pd',
    'from tensorflow import keras',
    'from tensorflow.keras import layers',
    'from tensorflow.keras.layers import Input, Dense, Dropout, BatchNormalization',
    'from tensorflow.keras.models import Sequential',
    'from tensorflow.keras.callbacks import EarlyStopping, ReduceLROnPlateau',
    'from sklearn.preprocessing import StandardScaler, MinMaxScaler',
  ],
  [
    'import os',
    'import json',
    'import numpy as np',
    'import pandas as pd',
    'import keras',
    'from keras import layers',
    'from keras.layers import Input, Dense, Dropout, BatchNormalization',
    'from keras.models import Sequential',
    'from keras.callbacks import EarlyStopping, ReduceLROnPlateau',
    'from sklearn.preprocessing import StandardScaler',
  ],
  [
    'import numpy as np',
    'import pandas as pd',
    'import tensorflow as tf',
    'from tensorflow import keras',
    'from tensorflow.keras import layers',
    'Input, Dense, Dropout, BatchNormalization = layers.Input, layers.Dense, layers.Dropout, layers.BatchNormalization',
    'Sequential = keras.Sequential',
    'from tensorflow.keras.callbacks import EarlyStopping, ReduceLROnPlateau',
    'from sklearn.preprocessing import StandardScaler',
  ],
];

function header(rng: Rng, index: number): string[] {
  return [
    '"""',
    `Autoencoder experiments, part ${index}: train, evaluate and compare reconstructions.`,
    '"""',
    ...pick(rng, IMPORT_STYLES),
    '',
    `SEED = ${int(rng, 0, 9999)}`,
    'np.random.seed(SEED)',
    '',
  ];
}

function dataBlock(rng: Rng, v: string, dim: number): string[] {
  const n = int(rng, 200, 5000);
  switch (int(rng, 0, 4)) {
    case 0:
      return [`x_${v} = np.random.rand(${n}, ${dim})`, `x_${v}_val = np.random.rand(${Math.floor(n / 5)}, ${dim})`];
    case 1:
      return [
        `frame_${v} = pd.read_csv("data/sensors_${v}.csv")`,
        `frame_${v} = frame_${v}.dropna()`,
        `scaler_${v} = StandardScaler()`,
        `x_${v} = scaler_${v}.fit_transform(frame_${v}.values[:, :${dim}])`,
        `x_${v}_val = x_${v}[-${Math.floor(n / 10)}:]`,
      ];
    case 2:
      return [
        `raw_${v} = np.load("data/features_${v}.npy")`,
        `raw_${v} = (raw_${v} - raw_${v}.mean(axis=0)) / (raw_${v}.std(axis=0) + 1e-8)`,
        `x_${v}, x_${v}_val = raw_${v}[:${n}], raw_${v}[${n}:]`,
      ];
    case 3: {
      const rows = Array.from({ length: 4 }, () => `[${Array.from({ length: Math.min(dim, 6) }, () => (rng() * 10).toFixed(2)).join(', ')}]`);
      return [`x_${v} = np.array([`, ...rows.map((r) => `    ${r},`), '])', `x_${v}_val = x_${v}[:2]`];
    }
    default:
      return [
        `images_${v} = np.random.randint(0, 256, size=(${n}, ${dim}))`,
        `x_${v} = images_${v}.astype("float32") / 255.0`,
        `x_${v}_val = x_${v}[:${Math.floor(n / 8)}]`,
      ];
  }
}

function denseModel(rng: Rng, v: string, dim: number): string[] {
  const enc = pick(rng, [2, 4, 8, 16, 32]);
  const act = pick(rng, ['relu', 'relu', 'elu', 'tanh', 'sigmoid']);
  const out = pick(rng, ['linear', 'sigmoid', 'linear']);
  if (rng() < 0.5) {
    return [
      `inputs_${v} = Input(shape=(${dim},))`,
      `h_${v} = Dense(${Math.max(enc * 4, 8)}, activation="${act}")(inputs_${v})`,
      `h_${v} = BatchNormalization()(h_${v})`,
      `code_${v} = Dense(${enc}, activation="${act}", name="bottleneck_${v}")(h_${v})`,
      `h_${v} = Dense(${Math.max(enc * 4, 8)}, activation="${act}")(code_${v})`,
      `h_${v} = Dropout(${pick(rng, ['0.1', '0.2', '0.3'])})(h_${v})`,
      `outputs_${v} = Dense(${dim}, activation="${out}")(h_${v})`,
      `model_${v} = keras.Model(inputs=inputs_${v}, outputs=outputs_${v}, name="ae_${v}")`,
    ];
  }
  return [
    `model_${v} = keras.Sequential([`,
    `    keras.Input(shape=(${dim},)),`,
    `    layers.Dense(${Math.max(enc * 4, 8)}, activation="${act}"),`,
    `    layers.Dense(${enc}, activation="${act}"),`,
    `    layers.Dense(${Math.max(enc * 4, 8)}, activation="${act}"),`,
    `    layers.Dense(${dim}, activation="${out}"),`,
    `], name="seq_ae_${v}")`,
  ];
}

function convModel(rng: Rng, v: string): string[] {
  const f = pick(rng, [16, 32, 64]);
  return [
    `conv_in_${v} = keras.Input(shape=(28, 28, 1))`,
    `c_${v} = layers.Conv2D(${f}, 3, activation="relu", padding="same")(conv_in_${v})`,
    `c_${v} = layers.MaxPooling2D(2, padding="same")(c_${v})`,
    `c_${v} = layers.Conv2D(${f / 2}, 3, activation="relu", padding="same")(c_${v})`,
    `encoded_${v} = layers.MaxPooling2D(2, padding="same")(c_${v})`,
    `d_${v} = layers.Conv2DTranspose(${f / 2}, 3, strides=2, activation="relu", padding="same")(encoded_${v})`,
    `d_${v} = layers.Conv2DTranspose(${f}, 3, strides=2, activation="relu", padding="same")(d_${v})`,
    `decoded_${v} = layers.Conv2D(1, 3, activation="sigmoid", padding="same")(d_${v})`,
    `model_${v} = keras.Model(conv_in_${v}, decoded_${v})`,
  ];
}

function recurrentModel(rng: Rng, v: string, steps: number): string[] {
  const units = pick(rng, [16, 32, 64]);
  return [
    `model_${v} = Sequential()`,
    `model_${v}.add(layers.LSTM(${units}, activation="${pick(rng, ['tanh', 'tanh', 'relu'])}", input_shape=(${steps}, 1)))`,
    `model_${v}.add(layers.RepeatVector(${steps}))`,
    `model_${v}.add(layers.LSTM(${units}, return_sequences=True))`,
    `model_${v}.add(layers.TimeDistributed(layers.Dense(1)))`,
  ];
}

function compileFit(rng: Rng, v: string): string[] {
  const lr = pick(rng, ['1e-3', '0.001', '3e-4', '0.01', '0.5']);
  const optimizer = pick(rng, [
    `keras.optimizers.Adam(learning_rate=${lr})`,
    `"adam"`,
    `keras.optimizers.SGD(learning_rate=${lr}, momentum=0.9, clipnorm=1.0)`,
    `keras.optimizers.RMSprop(learning_rate=${lr})`,
  ]);
  const loss = pick(rng, ['"mse"', '"mae"', '"binary_crossentropy"', 'keras.losses.MeanSquaredError()']);
  const epochs = pick(rng, [10, 50, 100, 300]);
  const lines = [
    `model_${v}.compile(optimizer=${optimizer}, loss=${loss})`,
    `callbacks_${v} = [`,
    `    EarlyStopping(monitor="val_loss", patience=${int(rng, 3, 20)}, restore_best_weights=True),`,
    `    ReduceLROnPlateau(monitor="val_loss", factor=0.5, patience=5),`,
    ']',
  ];
  if (rng() < 0.5) {
    lines.push(`history_${v} = model_${v}.fit(`, `    x_${v}, x_${v},`, `    epochs=${epochs},`, `    batch_size=${pick(rng, [16, 32, 64, 128])},`, `    shuffle=True,`, `    validation_data=(x_${v}_val, x_${v}_val),`, `    callbacks=callbacks_${v},`, ')');
  } else {
    lines.push(`history_${v} = model_${v}.fit(x_${v}, x_${v}, epochs=${epochs}, batch_size=32, validation_split=0.2, callbacks=callbacks_${v})`);
  }
  return lines;
}

function helpers(rng: Rng, v: string): string[] {
  return [
    `def reconstruction_error_${v}(model, x):`,
    `    """Mean squared reconstruction error per sample."""`,
    '    reconstructed = model.predict(x, verbose=0)',
    '    return np.mean(np.square(x - reconstructed), axis=1)',
    '',
    '',
    `def summarize_${v}(history):`,
    '    losses = history.history["loss"]',
    '    best = min(losses)',
    `    for epoch, value in enumerate(losses[:${int(rng, 3, 8)}]):`,
    '        print(f"epoch {epoch}: {value:.4f}")',
    '    return {"best": best, "last": losses[-1], "epochs": len(losses)}',
    '',
    '',
  ];
}

/** One section: helpers, data, a model, compile and fit. Variables are suffixed with `v` to stay distinct. */
function section(rng: Rng, v: string): string[] {
  const dim = pick(rng, [8, 10, 20, 64, 784]);
  const kind = rng();
  const n = int(rng, 200, 5000);
  let data: string[];
  let model: string[];
  if (kind < 0.6) {
    data = dataBlock(rng, v, dim);
    model = denseModel(rng, v, dim);
  } else if (kind < 0.8) {
    data = [`x_${v} = np.random.randint(0, 256, size=(${n}, 28, 28, 1)).astype("float32") / 255.0`, `x_${v}_val = x_${v}[-${Math.floor(n / 10)}:]`];
    model = convModel(rng, v);
  } else {
    const steps = int(rng, 10, 60);
    data = [`x_${v} = np.random.rand(${n}, ${steps}, 1)`, `x_${v}_val = np.random.rand(${Math.floor(n / 5)}, ${steps}, 1)`];
    model = recurrentModel(rng, v, steps);
  }
  return [
    `# --- experiment ${v} ---`,
    ...helpers(rng, v),
    ...data,
    '',
    ...model,
    ...compileFit(rng, v),
    `stats_${v} = summarize_${v}(history_${v})`,
    `errors_${v} = reconstruction_error_${v}(model_${v}, x_${v}_val)`,
    `print("experiment ${v}", stats_${v}, float(np.percentile(errors_${v}, 95)))`,
    '',
  ];
}

/** A script of whole sections, at least `minLines` lines long. */
export function generateScript(seed: number, minLines: number): string {
  const rng = seededRandom(seed);
  const lines = header(rng, seed);
  let i = 0;
  while (lines.length < minLines) lines.push(...section(rng, `e${i++}`));
  return lines.join('\n') + '\n';
}

/** A script cut to exactly `lines` lines at a section boundary or just after: the benches' fixed sizes. */
export function generateScriptOfLines(seed: number, lines: number): string {
  const rng = seededRandom(seed);
  const out = header(rng, seed);
  let i = 0;
  while (out.length < lines) out.push(...section(rng, `e${i++}`));
  // Cut at the last blank line at or before the target (blank lines only separate top-level
  // statements here) so no statement is cut in half, then fill up with short statements.
  let cut = lines;
  while (cut > 0 && out[cut - 1] !== '') cut--;
  const kept = out.slice(0, cut);
  while (kept.length < lines) kept.push(`print("checkpoint", ${kept.length})`);
  return kept.join('\n') + '\n';
}

export interface CorpusFile {
  name: string;
  text: string;
  lines: number;
}

/** `count` scripts of varied length (40 to 600 lines), all from `seed`. */
export function generateCorpus(seed: number, count: number): CorpusFile[] {
  const rng = seededRandom(seed);
  return Array.from({ length: count }, (_, i) => {
    const text = generateScript(int(rng, 0, 1_000_000), int(rng, 40, 600));
    return { name: `corpus_${String(i).padStart(3, '0')}.py`, text, lines: text.split('\n').length - 1 };
  });
}
