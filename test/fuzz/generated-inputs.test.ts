// Random Keras topologies, hyperparameter configs and notebooks through checkFile: no
// exception, a time bound per file, every place inside the document (a cell for notebooks).
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { hyperConfigArb, kerasTopologyArb, notebookArb, writeJson, type JsonNode } from './generators';
import { assertProperty, checkInput, CORPUS, PYTHON_CORPUS, hitsKnownBug, suiteRecords } from './harness';
import { applyAll, mutationsArb } from './mutations';

const FILE = 'test/fuzz/generated-inputs.test.ts';
const record = suiteRecords();

/** Pretty or compact, sometimes damaged afterwards as a text. */
const layout = fc.record({ indent: fc.boolean(), damage: fc.option(mutationsArb, { freq: 4 }) });

function render(node: JsonNode, { indent, damage }: { indent: boolean; damage: ReturnType<typeof mutationsArb.generate>['value'] | null }): string {
  const text = writeJson(node, indent);
  return damage ? applyAll(text, damage) : text;
}

describe('fuzz: generated inputs', () => {
  it('Keras JSON topologies', () =>
    assertProperty(
      'random Keras JSON',
      fc.asyncProperty(kerasTopologyArb, layout, fc.constantFrom('model.json', 'autoencoder.keras.json', 'topology.json'), async (node, how, name) => {
        const text = render(node, how);
        await checkInput(record('random-keras-json'), `random Keras JSON ${name}`, `workspace/${name}`, text);
      }),
      0.17,
      FILE,
    ));

  it('hyperparameter config JSON', () =>
    assertProperty(
      'random config JSON',
      fc.asyncProperty(hyperConfigArb, layout, fc.constantFrom('config.json', 'hparams.json', 'settings.nanguard.json'), async (node, how, name) => {
        const text = render(node, how);
        await checkInput(record('random-config-json'), `random config ${name}`, `workspace/${name}`, text);
      }),
      0.12,
      FILE,
    ));

  it('a random config read by a script through json.load', () =>
    assertProperty(
      'random config under its script',
      fc.asyncProperty(hyperConfigArb, layout, async (node, how) => {
        const config = render(node, how);
        const script = 'examples/train_with_config.py';
        const overlay = new Map([['examples/config.json', config]]);
        const text = CORPUS.find((e) => e.path === script)!.text;
        fc.pre(!hitsKnownBug(script, text, overlay));
        await checkInput(record('random-config-under-script'), 'examples/train_with_config.py reading a random config', script, text, overlay);
      }),
      0.05,
      FILE,
    ));

  it('notebooks', () =>
    assertProperty(
      'random notebook',
      fc.asyncProperty(notebookArb(PYTHON_CORPUS.map((e) => e.text)), layout, async (node, how) => {
        const text = render(node, how);
        await checkInput(record('random-notebooks'), 'random notebook', 'workspace/analysis.ipynb', text);
      }),
      0.14,
      FILE,
    ));
});
