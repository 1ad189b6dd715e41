// The Adadelta trap: `optimizer='adadelta'` meant a learning rate of 1.0 in standalone Keras and
// means 0.001 in tf.keras and Keras 3; code written for the old default crawls (test/evidence/NAN302.py).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkFile, DEFAULT_SETTINGS, NO_FILES, type Finding } from '../../src/core/index';

const BLOG = (compile: string) => `from keras.layers import Input, Dense
from keras.models import Model
import keras

input_img = Input(shape=(784,))
encoded = Dense(32, activation='relu')(input_img)
decoded = Dense(784, activation='sigmoid')(encoded)
autoencoder = Model(input_img, decoded)
${compile}
autoencoder.fit(x_train, x_train, epochs=50, batch_size=256, shuffle=True)
`;

async function nan302(source: string): Promise<{ hits: Finding[]; text: string }> {
  const { findings } = await checkFile('blog.py', source, NO_FILES, DEFAULT_SETTINGS);
  return { hits: findings.filter((f) => f.rule === 'NAN302'), text: source };
}

function apply(text: string, f: Finding): string {
  const lines = text.split('\n');
  const offset = (p: { line: number; character: number }) => lines.slice(0, p.line).reduce((a, l) => a + l.length + 1, 0) + p.character;
  const edits = [...f.fixes[0].edits].sort((a, b) => offset(b.range.start) - offset(a.range.start));
  let out = text;
  for (const e of edits) out = out.slice(0, offset(e.range.start)) + e.newText + out.slice(offset(e.range.end));
  return out;
}

test("NAN302: optimizer='adadelta' as the Keras blog writes it, with the default it was written for and the one it gets", async () => {
  const { hits, text } = await nan302(BLOG("autoencoder.compile(optimizer='adadelta', loss='binary_crossentropy')"));
  assert.equal(hits.length, 1);
  const [hit] = hits;
  assert.equal(hit.severity, 'warning');
  assert.match(hit.message, /^Adadelta with no learning rate gets 0\.001 in tf\.keras and Keras 3, where standalone Keras used 1\.0: .* barely learns \(no NaN\)/);
  assert.equal(hit.range.start.line, 8);
  assert.equal(hit.range.start.character, 30, 'on the optimizer string');
  assert.match(apply(text, hit), /autoencoder\.compile\(optimizer=keras\.optimizers\.Adadelta\(learning_rate=1\.0\), loss='binary_crossentropy'\)/);
});

test('NAN302: Adadelta() with no learning rate is the same trap; a learning rate written out is the user\'s choice', async () => {
  const { hits, text } = await nan302(BLOG("autoencoder.compile(optimizer=keras.optimizers.Adadelta(), loss='binary_crossentropy')"));
  assert.equal(hits.length, 1);
  assert.match(apply(text, hits[0]), /keras\.optimizers\.Adadelta\(learning_rate=1\.0\)/);
  assert.deepEqual((await nan302(BLOG("autoencoder.compile(optimizer=keras.optimizers.Adadelta(learning_rate=1.0), loss='binary_crossentropy')"))).hits, []);
  assert.deepEqual((await nan302(BLOG("autoencoder.compile(optimizer=keras.optimizers.Adadelta(0.5), loss='binary_crossentropy')"))).hits, []);
  assert.deepEqual((await nan302(BLOG("autoencoder.compile(optimizer='adam', loss='binary_crossentropy')"))).hits, []);
});
