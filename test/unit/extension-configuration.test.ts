import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NUMERIC_BOUNDS, readConfiguration, THRESHOLD_KEYS } from '../../src/extension/logic/configuration';
import { DEFAULT_THRESHOLDS } from '../../src/core/settings';

const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8'));
const properties: Record<string, Record<string, unknown>> = manifest.contributes.configuration.properties;

function getterOf(values: Record<string, unknown>) {
  return (key: string) => values[key];
}

test('unset settings give the core defaults and the documented editor defaults', () => {
  const { core, editor } = readConfiguration(getterOf({}));
  assert.deepEqual(core.thresholds, DEFAULT_THRESHOLDS);
  assert.deepEqual(core.select, []);
  assert.deepEqual(core.severity, {});
  assert.equal(editor.enable, true);
  assert.equal(editor.run, 'onType');
  assert.equal(editor.debounceMs, properties['nanguard.debounceMs'].default);
  assert.equal(editor.reproduction.backend, 'auto');
});

test('hand-typed values of the wrong shape fall back instead of reaching the rules', () => {
  const { core, editor } = readConfiguration(
    getterOf({
      select: 'NAN1',
      ignore: ['NAN2', 3, '  ', ' NAN301 '],
      severity: { nan101: 'warning', NAN102: 'fatal', NAN103: 'off' },
      'thresholds.unscaledAbsMax': 'ten',
      'thresholds.scaleDisparityRatio': -5,
      'thresholds.maxSaturatingDepth': 6.6,
      debounceMs: 1e9,
      run: 'sometimes',
      enable: 'yes',
      'reproduction.backend': 'gpu',
    }),
  );
  assert.deepEqual(core.select, []);
  assert.deepEqual(core.ignore, ['NAN2', 'NAN301']);
  assert.deepEqual(core.severity, { NAN101: 'warning', NAN103: 'off' });
  assert.equal(core.thresholds.unscaledAbsMax, DEFAULT_THRESHOLDS.unscaledAbsMax);
  assert.equal(core.thresholds.scaleDisparityRatio, 1);
  assert.equal(core.thresholds.maxSaturatingDepth, 7);
  assert.equal(editor.debounceMs, 5000);
  assert.equal(editor.run, 'onType');
  assert.equal(editor.enable, true);
  assert.equal(editor.reproduction.backend, 'auto');
});

test('every threshold of the core has a setting, and every setting is described and scoped', () => {
  for (const key of THRESHOLD_KEYS) {
    const setting = properties[`nanguard.thresholds.${key}`];
    assert.ok(setting, `nanguard.thresholds.${key} is contributed`);
    assert.equal(setting.default, DEFAULT_THRESHOLDS[key]);
  }
  for (const [name, setting] of Object.entries(properties)) {
    assert.equal(typeof setting.markdownDescription, 'string', `${name} has a markdownDescription`);
    assert.ok(['application', 'machine', 'machine-overridable', 'window', 'resource', 'language-overridable'].includes(setting.scope as string), `${name} has a scope`);
    if (Array.isArray(setting.enum)) assert.equal((setting.markdownEnumDescriptions as unknown[])?.length, setting.enum.length, `${name} describes its enum`);
  }
});

test('the manifest and the reader agree on every numeric bound and default', () => {
  for (const [key, bounds] of Object.entries(NUMERIC_BOUNDS)) {
    const setting = properties[`nanguard.${key}`];
    assert.ok(setting, `nanguard.${key} is contributed`);
    assert.equal(setting.minimum, bounds.min, `${key} minimum`);
    assert.equal(setting.maximum, bounds.max, `${key} maximum`);
    assert.equal(setting.default, bounds.default, `${key} default`);
    assert.equal(setting.type, bounds.integer ? 'integer' : 'number', `${key} type`);
  }
});

test('settings that read data or shape a training process are restricted in untrusted workspaces', () => {
  const restricted: string[] = manifest.capabilities.untrustedWorkspaces.restrictedConfigurations;
  assert.equal(manifest.capabilities.untrustedWorkspaces.supported, 'limited');
  for (const name of ['nanguard.readDataFiles', 'nanguard.reproduction.backend', 'nanguard.reproduction.maxEpochs', 'nanguard.reproduction.maxParameters', 'nanguard.reproduction.maxSeconds', 'nanguard.reproduction.seeds']) {
    assert.ok(properties[name], `${name} exists`);
    assert.ok(restricted.includes(name), `${name} is restricted`);
  }
  for (const name of restricted) assert.ok(properties[name], `${name} exists`);
});

test('commands carry the nanguard category and activation stays narrow', () => {
  for (const command of manifest.contributes.commands) assert.equal(command.category, 'nanguard');
  const events: string[] = manifest.activationEvents;
  for (const needed of ['onLanguage:python', 'onNotebook:jupyter-notebook', 'onLanguage:json']) assert.ok(events.includes(needed), needed);
  // Nothing broad: no `*`, no `onStartupFinished`, no `workspaceContains`.
  for (const event of events) assert.match(event, /^(onLanguage:(python|json)|onNotebook:jupyter-notebook|onCommand:nanguard\.|onWebviewPanel:nanguard\.)/, event);
});
