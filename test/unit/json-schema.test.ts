import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import Ajv from 'ajv';
import { CONFIG_SECTIONS, SETTING_ALIASES } from '../../src/core/frontends/configJson';
import { fixture } from './json-helpers';

const schemaPath = join(__dirname, '..', '..', 'schemas', 'nanguard-config.schema.json');
const schema = JSON.parse(readFileSync(schemaPath, 'utf8')) as { properties: Record<string, unknown> };

function validator() {
  const ajv = new Ajv({ allErrors: true, strict: false });
  return ajv.compile(schema);
}

test('the schema is valid draft-07 and names exactly the keys and sections the front-end reads', () => {
  assert.ok(validator());
  const expected = new Set([...Object.values(SETTING_ALIASES).flat(), ...CONFIG_SECTIONS]);
  assert.deepEqual(new Set(Object.keys(schema.properties)), expected);
  for (const [key, value] of Object.entries(schema.properties)) {
    assert.ok(typeof (value as { description?: unknown }).description === 'string', `${key} has a description`);
  }
});

test('configs nanguard reads, Keras files and other tools\' JSON all validate', () => {
  const validate = validator();
  for (const file of [
    'configs/flat.json',
    'configs/sections.json',
    'configs/keras_style_optimizer.json',
    'configs/not_ours.json',
    'keras3/archive_config.json',
    'keras3/nested.json',
    'keras2/h5_attributes.json',
    '../../../package.json',
    '../../../examples/config.json',
  ]) {
    const ok = validate(JSON.parse(fixture(file).text));
    assert.ok(ok, `${file}: ${JSON.stringify(validate.errors)}`);
  }
});

test('wrong types are schema errors at the right keys', () => {
  const validate = validator();
  assert.equal(validate(JSON.parse(fixture('configs/wrong_types.json').text)), false);
  const paths = new Set((validate.errors ?? []).map((e) => e.instancePath));
  for (const key of ['/learning_rate', '/epochs', '/batch_size', '/validation_split', '/optimizer', '/activation', '/encoding_dim', '/clipnorm']) {
    assert.ok(paths.has(key), `${key} in ${[...paths].join(', ')}`);
  }
  assert.equal(validate({ training: { lr: -1 } }), false);
  assert.equal(validate({ optimizer: { name: 'adam', learning_rate: 'fast' } }), false);
});
