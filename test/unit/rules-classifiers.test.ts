/**
 * Classifiers are not autoencoders: a softmax over 10 classes trained on digit labels 0-9 with a
 * sparse cross-entropy has no output-range floor (NAN201), and its last Dense of 10 units for 784
 * pixels is its output, not a bottleneck (NAN203). Both fired on the Keras quick-tour MLPs of
 * Advanced Deep Learning with Keras, Géron's chapter 10 and Chollet's chapter 7.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkFile, DEFAULT_SETTINGS, NO_FILES } from '../../src/core/index';

const MLP = (loss: string, labels: string) => `
import numpy as np
from keras.models import Sequential
from keras.layers import Input, Dense, Activation, Dropout

x_train = np.random.rand(1000, 784).astype('float32')
y_train = ${labels}
model = Sequential()
model.add(Input(shape=(784,)))
model.add(Dense(256))
model.add(Activation('relu'))
model.add(Dropout(0.45))
model.add(Dense(10))
model.add(Activation('softmax'))
model.compile(loss='${loss}', optimizer='adam', metrics=['accuracy'])
model.fit(x_train, y_train, epochs=20, batch_size=128)
`;

const AUTOENCODER = `
import numpy as np
from keras.models import Sequential
from keras.layers import Input, Dense, Activation

x_train = np.random.rand(1000, 784).astype('float32')
model = Sequential([Input(shape=(784,)), Dense(64, activation='relu'), Dense(2, activation='relu'), Dense(64, activation='relu'), Dense(784), Activation('sigmoid')])
model.compile(loss='mse', optimizer='adam')
model.fit(x_train, x_train, epochs=20, batch_size=128)
`;

async function rules(source: string): Promise<string[]> {
  return (await checkFile('mlp.py', source, NO_FILES, DEFAULT_SETTINGS)).findings.map((f) => f.rule);
}

describe('a classifier', () => {
  it('has no output-range floor and no bottleneck, with sparse labels or one-hot rows', async () => {
    const sparse = await rules(MLP('sparse_categorical_crossentropy', 'np.random.randint(0, 10, size=(1000,))'));
    assert.ok(!sparse.includes('NAN201') && !sparse.includes('NAN203'), sparse.join());
    const oneHot = await rules(MLP('categorical_crossentropy', 'np.eye(10)[np.random.randint(0, 10, size=(1000,))]'));
    assert.ok(!oneHot.includes('NAN203'), oneHot.join());
  });

  it('while an autoencoder whose output Dense is followed by its activation still has its bottleneck', async () => {
    assert.ok((await rules(AUTOENCODER)).includes('NAN203'));
  });
});
