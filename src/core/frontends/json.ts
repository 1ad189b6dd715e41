/**
 * The JSON front-end: decides what a `.json` file is and hands it to the right reader.
 *
 * - A Keras topology (`model.to_json()`, `{model_config, training_config}`, a `.keras`
 *   archive's `config.json`, a TensorFlow.js `model.json`) -> `./kerasJson.ts`.
 * - A hyperparameter config (keys naming training settings) -> `./configJson.ts`.
 * - Anything else (package.json, tsconfig.json, data files) -> nothing at all.
 *
 * Invalid JSON gets an input problem with its position only when the text looks like one
 * of ours; a broken file of some other tool is not our business. Never throws.
 */
import type { FileAnalysis, InputProblem } from '../ir';
import { LineIndex } from '../text';
import { configToModel, findSettings, isTrainingConfig, mentionsTrainingKeys } from './configJson';
import { parseJsonDocument, MAX_JSON_DEPTH } from './jsonTree';
import { findTopology, topologyToModel } from './kerasJson';

function nothing(path: string): FileAnalysis {
  return { path, language: 'unknown', models: [], problems: [], suppressions: [] };
}

export function analyzeJsonFile(path: string, text: string): FileAnalysis {
  try {
    return analyze(path, text);
  } catch (err) {
    // A front-end never takes the lint down; say what happened instead.
    return { ...nothing(path), problems: [{ severity: 'info', message: `nanguard could not analyse ${path}: ${String(err)}` }] };
  }
}

function analyze(path: string, text: string): FileAnalysis {
  // Cheap test first: most JSON in a workspace is not ours, and some is huge.
  if (!mentionsTrainingKeys(text)) return nothing(path);
  const doc = parseJsonDocument(text);
  const index = new LineIndex(text);
  const problems: InputProblem[] = [];
  if (doc.tooDeep !== undefined) {
    return {
      ...nothing(path),
      problems: [{ severity: 'warning', message: `JSON nested ${doc.tooDeep} levels deep (more than ${MAX_JSON_DEPTH}); not analysed` }],
    };
  }
  if (doc.errors.length > 0) {
    const first = doc.errors[0];
    const pos = index.positionAt(first.offset);
    const more = doc.errors.length > 1 ? ` (and ${doc.errors.length - 1} more)` : '';
    problems.push({
      severity: 'error',
      message: `invalid JSON: ${first.message} at line ${pos.line + 1}, column ${pos.character + 1}${more}`,
      location: index.locationAt(path, first.offset, first.length),
    });
  }

  // What could be parsed is still analysed: a half-typed config keeps its findings.
  const topology = findTopology(doc.root, doc.specials);
  if (topology) {
    const model = topologyToModel(topology, path, index, doc.specials);
    return { path, language: 'keras-json', models: [model], problems, suppressions: [] };
  }
  const settings = findSettings(doc.root);
  if (isTrainingConfig(settings) && doc.root) {
    const result = configToModel(doc.root, settings, path, index, doc.specials);
    return {
      path,
      language: 'config-json',
      models: result.model ? [result.model] : [],
      config: result.entries,
      problems: [...problems, ...result.problems],
      suppressions: [],
    };
  }
  // Looked like ours but is not valid: the parse error is the useful thing to say.
  if (problems.length > 0) return { path, language: 'unknown', models: [], problems, suppressions: [] };
  return nothing(path);
}
