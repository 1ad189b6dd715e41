/**
 * `if K.image_data_format() == 'channels_first':` (Keras's own examples: variational_autoencoder_deconv.py,
 * mnist_cnn.py) takes the branch Keras takes: channels last unless the program set another layout.
 * Before, the test was unknown and the channels-first shapes were built, which Keras never builds.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyzeFile, NO_FILES } from '../../src/core/index';
import { pickModel } from '../../src/core/modelHandles';

const PROGRAM = (setup: string, test: string) => `
from keras import backend as K
from keras.layers import Input, Conv2D, Flatten, Dense
from keras.models import Model
${setup}
img_rows, img_cols, img_chns = 28, 28, 1
if ${test}:
    original_img_size = (img_chns, img_rows, img_cols)
else:
    original_img_size = (img_rows, img_cols, img_chns)
x = Input(shape=original_img_size)
h = Conv2D(8, kernel_size=(2, 2), padding='same', activation='relu')(x)
out = Dense(10, activation='softmax')(Flatten()(h))
model = Model(x, out)
model.compile(optimizer='rmsprop', loss='categorical_crossentropy')
`;

async function inputShape(source: string): Promise<unknown> {
  const model = pickModel((await analyzeFile('vae_deconv.py', source, NO_FILES)).models);
  if (typeof model === 'string') assert.fail(model);
  return model.inputShape;
}

describe("Keras's image layout", () => {
  it("is channels last unless the program sets it, in Keras 2's and Keras 1's spellings", async () => {
    assert.deepEqual(await inputShape(PROGRAM('', "K.image_data_format() == 'channels_first'")), [28, 28, 1]);
    assert.deepEqual(await inputShape(PROGRAM('', "K.image_dim_ordering() == 'th'")), [28, 28, 1]);
    assert.deepEqual(await inputShape(PROGRAM('import keras', "keras.config.image_data_format() != 'channels_last'")), [28, 28, 1]);
  });

  it('is the layout the program set', async () => {
    assert.deepEqual(await inputShape(PROGRAM("K.set_image_data_format('channels_first')", "K.image_data_format() == 'channels_first'")), [1, 28, 28]);
    assert.deepEqual(await inputShape(PROGRAM("K.set_image_dim_ordering('th')", "K.image_dim_ordering() == 'th'")), [1, 28, 28]);
  });
});
