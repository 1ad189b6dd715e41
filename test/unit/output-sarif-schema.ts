// The SARIF 2.1.0 schema validator shared by the SARIF tests.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

export function sarifValidator(): ValidateFunction {
  const schema = JSON.parse(readFileSync(join(__dirname, '../fixtures/schemas/sarif-schema-2.1.0.json'), 'utf8'));
  // The official schema is draft-04; its only draft-04-specific keyword is the top-level `id`.
  assert.equal(JSON.stringify(schema).includes('exclusiveM'), false);
  const { id, $schema: _draft04, ...rest } = schema;
  // One of its patterns (a language tag) is not valid in Unicode mode, hence unicodeRegExp: false.
  const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false });
  addFormats(ajv);
  return ajv.compile({ ...rest, $id: id });
}
