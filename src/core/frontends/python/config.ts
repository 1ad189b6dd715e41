/**
 * Hyperparameter JSON files read by the script (`json.load(open("config.json"))`): values are
 * looked up with the range of the value inside the JSON file, so a finding can point there.
 */
import { findNodeAtLocation, parseTree, type Node as JsonNode } from 'jsonc-parser';
import { toValue } from '../jsonTree';
import type { SourceLocation } from '../../ir';
import { LineIndex } from '../../text';

export interface ConfigDocument {
  /** The JSON file's path as the host named it. */
  path: string;
  root: JsonNode | undefined;
  lines: LineIndex;
}

export function parseConfigDocument(path: string, text: string): ConfigDocument {
  let root: JsonNode | undefined;
  // The parser recurses once per level: a file nested deeper than the stack allows is not read
  // (values that are read are copied at most MAX_IR_VALUE_DEPTH levels deep, see lookupConfig).
  try {
    root = parseTree(text, [], { allowTrailingComma: true, disallowComments: false });
  } catch {
    root = undefined;
  }
  return { path, root, lines: new LineIndex(text) };
}

export type JsonPathSegment = string | number;

export interface ConfigLookup {
  /** The JSON value at the path (objects and arrays included). */
  value: unknown;
  /** `object`, `array`, `string`, `number`, `boolean`, `null`. */
  type: string;
  location: SourceLocation;
}

export function lookupConfig(doc: ConfigDocument, segments: JsonPathSegment[]): ConfigLookup | undefined {
  if (!doc.root) return undefined;
  const node = segments.length === 0 ? doc.root : findNodeAtLocation(doc.root, segments);
  if (!node) return undefined;
  return {
    value: toValue(node, new Map()),
    type: node.type,
    location: { path: doc.path, range: { start: doc.lines.positionAt(node.offset), end: doc.lines.positionAt(node.offset + node.length) } },
  };
}

/** `optimizer.lr`, `layers[2].units`. */
export function keyOf(segments: JsonPathSegment[]): string {
  let key = '';
  for (const s of segments) key += typeof s === 'number' ? `[${s}]` : key === '' ? s : `.${s}`;
  return key;
}
