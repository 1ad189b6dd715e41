// Random damage to every real file nanguard ships with or is tested on, through checkFile and
// analyzeFile: no exception, a time bound per file, every place inside the document.
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { assertProperty, checkInput, hitsKnownBug, suiteRecords, JSON_CORPUS, NOTEBOOK_CORPUS, PYTHON_CORPUS, CORPUS, type CorpusEntry } from './harness';
import { applyAll, mutationsArb, truncateBytes } from './mutations';

const FILE = 'test/fuzz/corpus-mutations.test.ts';
const record = suiteRecords();

function mutatedCorpus(name: string, entries: readonly CorpusEntry[], share: number) {
  return assertProperty(
    name,
    fc.asyncProperty(fc.constantFrom(...entries.map((e) => e.path)), mutationsArb, async (path, mutations) => {
      const entry = entries.find((e) => e.path === path)!;
      const text = applyAll(entry.text, mutations);
      fc.pre(!hitsKnownBug(entry.path, text));
      await checkInput(record(name), `${entry.path} +${mutations.map((m) => m.kind).join('+')}`, entry.path, text);
    }),
    share,
    FILE,
  );
}

describe('fuzz: mutated corpus files', () => {
  it('the corpus is there (examples, fixtures, generated scripts)', () => {
    // Fewer files would mean a fixture folder moved and the fuzz suite silently shrank.
    if (PYTHON_CORPUS.length < 20 || JSON_CORPUS.length < 10 || NOTEBOOK_CORPUS.length < 3) {
      throw new Error(`corpus too small: ${PYTHON_CORPUS.length} Python, ${JSON_CORPUS.length} JSON, ${NOTEBOOK_CORPUS.length} notebooks`);
    }
  });

  it('Python files', () => mutatedCorpus('mutated-python', PYTHON_CORPUS, 0.22));
  it('Keras and config JSON files', () => mutatedCorpus('mutated-json', JSON_CORPUS, 0.08));
  it('notebooks', () => mutatedCorpus('mutated-notebooks', NOTEBOOK_CORPUS, 0.06));

  it('a mutated config.json read by the script beside it', () =>
    assertProperty(
      'mutated config under its script',
      fc.asyncProperty(
        fc.constantFrom(
          { script: 'examples/train_with_config.py', config: 'examples/config.json' },
          { script: 'test/fixtures/python/train_from_config.py', config: 'test/fixtures/python/config.json' },
        ),
        mutationsArb,
        async ({ script, config }, mutations) => {
          const original = CORPUS.find((e) => e.path === config)!;
          const scriptText = CORPUS.find((e) => e.path === script)!.text;
          const mutated = applyAll(original.text, mutations);
          fc.pre(!hitsKnownBug(script, scriptText, new Map([[config, mutated]])));
          await checkInput(record('mutated-config-under-script'), `${script} reading ${config} +${mutations.map((m) => m.kind).join('+')}`, script, scriptText, new Map([[config, mutated]]));
        },
      ),
      0.04,
      FILE,
    ));

  it('truncation at any byte of any corpus file (sampled)', () =>
    assertProperty(
      'truncated corpus file',
      fc.asyncProperty(fc.constantFrom(...CORPUS.map((e) => e.path)), fc.double({ min: 0, max: 1, noNaN: true }), async (path, at) => {
        const entry = CORPUS.find((e) => e.path === path)!;
        const cut = Math.floor(at * (entry.bytes.length + 1));
        fc.pre(!hitsKnownBug(entry.path, entry.text));
        await checkInput(record('truncated-corpus'), `${entry.path} cut at byte ${cut}`, entry.path, truncateBytes(entry.text, cut));
      }),
      0.1,
      FILE,
    ));
});
