/**
 * Pictures read one by one from a folder (`for f in os.listdir(d): x.append(cv2.imread(f))`,
 * Keras's `load_img` and `img_to_array`): the values are not known, their range is (0 to 255),
 * so an unscaled picture input is told from a scaled one, and the stand-in has the right scale.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkFile, DEFAULT_SETTINGS, NO_FILES } from '../../src/core/index';
import { pickModel } from '../../src/core/modelHandles';
import { buildPlan } from '../../src/repro/plan';

const OPENCV = (read: string, scale: string) => `
import os
import cv2
import numpy as np
from keras.models import Sequential
from keras.layers import Input, Conv2D, MaxPooling2D, UpSampling2D

SIZE = 64
img_data = []
for name in os.listdir('images/'):
    ${read}
    img = cv2.resize(img, (SIZE, SIZE))
    img_data.append(img)

img_array = np.reshape(img_data, (len(img_data), SIZE, SIZE, 3))
img_array = img_array.astype('float32')${scale}

model = Sequential()
model.add(Input(shape=(SIZE, SIZE, 3)))
model.add(Conv2D(8, (3, 3), activation='relu', padding='same'))
model.add(MaxPooling2D((2, 2), padding='same'))
model.add(UpSampling2D((2, 2)))
model.add(Conv2D(3, (3, 3), activation='relu', padding='same'))
model.compile(optimizer='adam', loss='mean_squared_error')
model.fit(img_array, img_array, epochs=50, shuffle=True)
`;

const KERAS_LOADER = `
import glob
import numpy as np
from tensorflow.keras.preprocessing.image import load_img, img_to_array
from tensorflow.keras.models import Model
from tensorflow.keras.layers import Input, Conv2D

images = []
for path in glob.glob('data/train/*.png'):
    img = load_img(path, target_size=(32, 48), color_mode='grayscale')
    img = img_to_array(img) / 255.
    images.append(img)
x_train = np.array(images)

inp = Input(shape=(32, 48, 1))
out = Conv2D(1, (3, 3), activation='sigmoid', padding='same')(Conv2D(4, (3, 3), activation='relu', padding='same')(inp))
ae = Model(inp, out)
ae.compile(optimizer='adam', loss='binary_crossentropy')
ae.fit(x_train, x_train, epochs=10, batch_size=16)
`;

async function analysed(source: string) {
  const { analysis, findings } = await checkFile('pictures.py', source, NO_FILES, DEFAULT_SETTINGS);
  const model = pickModel(analysis.models);
  if (typeof model === 'string') assert.fail(model);
  return { model, findings };
}

describe('pictures read from files', () => {
  it('cv2.imread in a loop over a folder: as many pictures as files, of 0-255; unscaled, NAN101 says so, and the stand-in has that range', async () => {
    const { model, findings } = await analysed(OPENCV("img = cv2.imread('images/' + name, 1)", ''));
    assert.deepEqual(model.data.train?.shape, [null, 64, 64, 3]);
    assert.deepEqual(model.data.train?.stats?.map((s) => [s.min, s.max]), [[0, 255]]);
    assert.ok(findings.some((f) => f.rule === 'NAN101' && /img_array reaches the network unscaled/.test(f.message)), findings.map((f) => f.message).join('\n'));
    const planned = buildPlan(model, { seed: 0 });
    if ('refused' in planned) assert.fail(planned.refused);
    assert.ok(planned.plan.notes.some((n) => /within the known range of each feature \(0 to 255\)/.test(n.text)), planned.plan.notes.map((n) => n.text).join('\n'));
  });

  it('scaled by 255, it is 0 to 1 and not flagged; a grey conversion keeps one channel', async () => {
    const { model, findings } = await analysed(OPENCV("img = cv2.imread('images/' + name, 1)", ' / 255.'));
    assert.deepEqual(model.data.train?.stats?.map((s) => [s.min, s.max]), [[0, 1]]);
    assert.ok(!findings.some((f) => f.rule === 'NAN101'), findings.map((f) => f.message).join('\n'));
    const gray = await analysed(OPENCV("img = cv2.cvtColor(cv2.imread(os.path.join('images', name)), cv2.COLOR_BGR2GRAY)", '').replace('(len(img_data), SIZE, SIZE, 3)', '(len(img_data), SIZE, SIZE, 1)').replace(/\(SIZE, SIZE, 3\)\)/, '(SIZE, SIZE, 1))').replace('Conv2D(3,', 'Conv2D(1,'));
    assert.deepEqual(gray.model.data.train?.shape, [null, 64, 64, 1]);
  });

  it("Keras's load_img and img_to_array: the target size and colour mode, scaled in the loop", async () => {
    const { model, findings } = await analysed(KERAS_LOADER);
    assert.deepEqual(model.data.train?.shape, [null, 32, 48, 1]);
    assert.deepEqual(model.data.train?.stats?.map((s) => [s.min, s.max]), [[0, 1]]);
    assert.ok(!findings.some((f) => f.rule === 'NAN101'));
  });
});
