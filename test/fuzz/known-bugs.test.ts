// Bugs the fuzz suite found that are not fixed yet, each as its smallest reproduction. A todo
// test does not fail the suite; when the bug is fixed it passes, and its todo mark (and the
// matching skip in harness.ts) should go.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkFile, DEFAULT_SETTINGS, NO_FILES } from '../../src/core/index';
import { MAX_IR_VALUE_DEPTH } from '../../src/core/frontends/jsonTree';
import { valueDepth } from '../../src/analysis-worker/boundedValue';
import { findingProblems, KNOWN_BUG_CRLF_LINE_END_RULES, KNOWN_BUG_DEEP_CONFIG_VALUE_IN_IR, KNOWN_BUG_LONE_CR_IN_PYTHON_POSITIONS, lineLengths, memoryHost, rangeProblem } from './harness';

const todoLoneCr = KNOWN_BUG_LONE_CR_IN_PYTHON_POSITIONS ? 'Python positions count \\n only (the line index of src/core/text.ts must end a line at a lone \\r)' : undefined;

const todoCrlf = KNOWN_BUG_CRLF_LINE_END_RULES.length > 0 ? `${KNOWN_BUG_CRLF_LINE_END_RULES.join(', ')} end their range after the \\r of a CRLF line (text.split('\\n')[line].length)` : undefined;

const todoDeep = KNOWN_BUG_DEEP_CONFIG_VALUE_IN_IR ? 'the Python front-end copies a config value into the IR whole, however deep (src/core/frontends/python/config.ts lookupConfig: bound the copy, e.g. with toValue of frontends/jsonTree.ts)' : undefined;

describe('known bugs found by fuzzing', () => {
  // The JSON front-ends copy at most MAX_IR_VALUE_DEPTH levels of a value into the IR
  // (test/unit/deep-json-values.test.ts). A script reading the same config through `json.load`
  // goes through the Python front-end's own copy (`lookupConfig`, jsonc-parser's getNodeValue),
  // which is not bounded: 2,000 levels reach the IR whole, and from about 3,000 the copy
  // overflows the stack and the statement holding it is lost, so the model is not found.
  for (const depth of [2_000, 5_000, 10_000]) {
    it(`a config value nested ${depth.toLocaleString('en-US')} deep, read by a script, keeps the model and at most ${MAX_IR_VALUE_DEPTH} levels of the value`, { todo: todoDeep }, async () => {
      const script = 'import json\nfrom tensorflow import keras\ncfg = json.load(open("config.json"))\nm = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(4, kernel_initializer=cfg["init"])])\nm.compile(optimizer="adam", loss="mse")\n';
      const config = `{"init": {"giant": ${'['.repeat(depth)}${']'.repeat(depth)}}}`;
      const { analysis } = await checkFile('ws/train.py', script, memoryHost(new Map([['ws/config.json', config]])), DEFAULT_SETTINGS);
      assert.doesNotThrow(() => JSON.stringify(analysis));
      assert.ok(analysis.models[0]?.layers.some((l) => l.className === 'Dense'), 'the model and its Dense layer are found');
      assert.ok(valueDepth(analysis) <= MAX_IR_VALUE_DEPTH + 16, `the IR is ${valueDepth(analysis)} levels deep`);
    });
  }

  it('NAN501 on a CRLF file ends its range at the end of the line, not after its \\r', { todo: todoCrlf }, async () => {
    const path = 'test/fixtures/data-rules/NAN501_fire_sequence.py';
    const lf = (await memoryHost().readText('NAN501_fire_sequence.py', path))!.text;
    const text = lf.replace(/\r?\n/g, '\r\n');
    const { findings } = await checkFile(path, text, memoryHost(), DEFAULT_SETTINGS);
    assert.ok(findings.some((f) => f.rule === 'NAN501'), 'NAN501 fires');
    assert.deepEqual(findingProblems(findings, { files: new Map([[path, lineLengths(text)]]), notebooks: new Map() }), []);
  });

  it('a syntax error in a Python file with lone CR line ends is placed on its line', { todo: todoLoneCr }, async () => {
    const text = 'import numpy as np\rx = (\ry = 1\r';
    const { analysis } = await checkFile('cr.py', text, NO_FILES, DEFAULT_SETTINGS);
    const located = analysis.problems.filter((p) => p.location);
    assert.ok(located.length > 0, 'a located syntax error');
    for (const p of located) assert.equal(rangeProblem(p.location!.range, lineLengths(text)), undefined, p.message);
  });

  it('a finding in config.json with lone CR line ends, read by a script, is inside config.json', { todo: todoLoneCr }, async () => {
    const script = 'import json\nfrom tensorflow import keras\ncfg = json.load(open("config.json"))\nm = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(4)])\nm.compile(optimizer=keras.optimizers.Adam(learning_rate=cfg["learning_rate"]), loss="mse")\n';
    const config = '{\r  "epochs": 10,\r  "learning_rate": 0.5\r}\r';
    const host = memoryHost(new Map([['ws/config.json', config]]));
    const { findings } = await checkFile('ws/train.py', script, host, DEFAULT_SETTINGS);
    assert.ok(findings.some((f) => f.rule === 'NAN301'), 'the high learning rate is found');
    const problems = findingProblems(findings, { files: new Map([['ws/train.py', lineLengths(script)], ['ws/config.json', lineLengths(config)]]), notebooks: new Map() });
    assert.deepEqual(problems, []);
  });

  it('a Python file with lone CR line ends is analysed like the same file with LF', { todo: todoLoneCr }, async () => {
    const lf = 'import numpy as np\nfrom tensorflow import keras\nX = np.array([[1, 1000], [2, 2000]])\nm = keras.Sequential([keras.Input(shape=(2,)), keras.layers.Dense(2)])\nm.compile(optimizer="adam", loss="mse")\nm.fit(X, X, epochs=10)\n';
    const cr = lf.replace(/\n/g, '\r');
    const rules = async (text: string) => (await checkFile('cr.py', text, NO_FILES, DEFAULT_SETTINGS)).findings.map((f) => `${f.rule}@${f.range.start.line}:${f.range.start.character}`);
    const expected = await rules(lf);
    assert.ok(expected.length > 0);
    assert.deepEqual(await rules(cr), expected);
  });
});
