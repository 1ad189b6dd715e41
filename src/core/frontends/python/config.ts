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

/** A JSON tree node under construction (jsonc-parser's are read-only). */
type YamlNode = { -readonly [K in keyof JsonNode]: JsonNode[K] };

interface YamlLine {
  indent: number;
  /** Offset of the first character after the indentation. */
  start: number;
  /** The line's content without the comment, trimmed at the end. */
  text: string;
}

/** Where a `#` comment starts (outside quotes), or the line's length. */
function commentAt(line: string): number {
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '#' && (i === 0 || /\s/.test(line[i - 1]))) return i;
  }
  return line.length;
}

function yamlScalar(raw: string, offset: number): YamlNode {
  const text = raw.trim();
  const at = offset + raw.indexOf(text);
  const node = (type: YamlNode['type'], value: unknown): YamlNode => ({ type, value, offset: at, length: text.length }) as YamlNode;
  if ((text.startsWith('"') && text.endsWith('"')) || (text.startsWith("'") && text.endsWith("'"))) return node('string', text.slice(1, -1));
  if (/^(null|Null|NULL|~|)$/.test(text)) return node('null', null);
  if (/^(true|True|TRUE|yes|Yes|on|On)$/.test(text)) return node('boolean', true);
  if (/^(false|False|FALSE|no|No|off|Off)$/.test(text)) return node('boolean', false);
  if (/^[-+]?(\d[\d_]*\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) return node('number', Number(text.replace(/_/g, '')));
  if (/^[-+]?\.(inf|Inf|INF)$/.test(text)) return node('number', text.startsWith('-') ? -Infinity : Infinity);
  return node('string', text);
}

/** Splits a flow collection's inside (`1, [2, 3], {a: 4}`) at its top-level commas, with offsets. */
function splitFlow(inner: string, offset: number): Array<{ text: string; offset: number }> {
  const parts: Array<{ text: string; offset: number }> = [];
  let depth = 0;
  let quote: string | undefined;
  let from = 0;
  for (let i = 0; i <= inner.length; i++) {
    const c = inner[i];
    if (quote) {
      if (c === quote) quote = undefined;
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === '[' || c === '{') depth++;
    else if (c === ']' || c === '}') depth--;
    else if ((c === ',' && depth === 0) || i === inner.length) {
      if (inner.slice(from, i).trim() !== '') parts.push({ text: inner.slice(from, i), offset: offset + from });
      from = i + 1;
    }
  }
  return parts;
}

function yamlFlow(raw: string, offset: number, depth: number): YamlNode {
  const text = raw.trim();
  const at = offset + raw.indexOf(text);
  if (depth < 32 && text.startsWith('[') && text.endsWith(']')) {
    const node = { type: 'array', offset: at, length: text.length, children: [] as YamlNode[] } as YamlNode;
    for (const part of splitFlow(text.slice(1, -1), at + 1)) node.children!.push({ ...yamlFlow(part.text, part.offset, depth + 1), parent: node });
    return node;
  }
  if (depth < 32 && text.startsWith('{') && text.endsWith('}')) {
    const node = { type: 'object', offset: at, length: text.length, children: [] as YamlNode[] } as YamlNode;
    for (const part of splitFlow(text.slice(1, -1), at + 1)) {
      const colon = part.text.indexOf(':');
      if (colon < 0) continue;
      node.children!.push(yamlProperty(part.text.slice(0, colon), part.offset, yamlFlow(part.text.slice(colon + 1), part.offset + colon + 1, depth + 1), node));
    }
    return node;
  }
  return yamlScalar(raw, offset);
}

function yamlProperty(rawKey: string, offset: number, value: YamlNode, parent: YamlNode): YamlNode {
  const key = yamlScalar(rawKey, offset);
  const property = { type: 'property', offset: key.offset, length: value.offset + value.length - key.offset, parent, children: [] as YamlNode[] } as YamlNode;
  key.type = 'string';
  key.value = String(key.value);
  key.parent = property;
  value.parent = property;
  property.children!.push(key, value);
  return property;
}

/**
 * A YAML config (`yaml.safe_load(open("config.yaml"))`) as the same tree a JSON config gives: block
 * mappings and sequences by indentation, flow `[...]` and `{...}`, plain and quoted scalars.
 * Anchors, multi-line strings and tags are not read (their values stay unknown).
 */
export function parseYamlDocument(path: string, text: string): ConfigDocument {
  const lines: YamlLine[] = [];
  let offset = 0;
  for (const raw of text.split('\n')) {
    const body = raw.slice(0, commentAt(raw)).replace(/\s+$/, '');
    const indent = body.length - body.trimStart().length;
    if (body.trim() !== '' && body.trim() !== '---' && body.trim() !== '...') lines.push({ indent, start: offset + indent, text: body.trimStart() });
    offset += raw.length + 1;
  }
  let i = 0;
  const block = (indent: number, depth: number): YamlNode | undefined => {
    const first = lines[i];
    if (!first || first.indent < indent || depth > 32) return undefined;
    const own = first.indent;
    if (first.text.startsWith('- ') || first.text === '-') {
      const node = { type: 'array', offset: first.start, length: 0, children: [] as YamlNode[] } as YamlNode;
      while (i < lines.length && lines[i].indent === own && (lines[i].text.startsWith('- ') || lines[i].text === '-')) {
        const line = lines[i];
        const rest = line.text.slice(1);
        const restIndent = own + 1 + (rest.length - rest.trimStart().length);
        if (rest.trim() === '') {
          i++;
          const child = block(own + 1, depth + 1);
          if (child) node.children!.push({ ...child, parent: node });
        } else if (/^\s*[^\s"'[{][^:]*:(\s|$)/.test(rest)) {
          // `- key: value` starts a mapping whose further keys sit at the text's indentation.
          lines[i] = { indent: restIndent, start: line.start + (restIndent - own), text: rest.trimStart() };
          const child = block(restIndent, depth + 1);
          if (child) node.children!.push({ ...child, parent: node });
        } else {
          node.children!.push({ ...yamlFlow(rest, line.start + 1, 0), parent: node });
          i++;
        }
      }
      const last = node.children![node.children!.length - 1];
      node.length = last ? last.offset + last.length - node.offset : 1;
      return node;
    }
    const node = { type: 'object', offset: first.start, length: 0, children: [] as YamlNode[] } as YamlNode;
    while (i < lines.length && lines[i].indent === own) {
      const line = lines[i];
      const colon = /^("[^"]*"|'[^']*'|[^:]*?):(\s|$)/.exec(line.text);
      if (!colon) {
        i++;
        continue;
      }
      const keyText = colon[1];
      const rest = line.text.slice(colon[0].length);
      i++;
      let value: YamlNode | undefined;
      if (rest.trim() === '' || /^[|>]/.test(rest.trim())) {
        value = rest.trim() === '' ? block(own + 1, depth + 1) : undefined;
        // A sequence may sit at the key's own indentation (`key:` then `- item`).
        if (!value && rest.trim() === '' && lines[i] && lines[i].indent === own && lines[i].text.startsWith('-')) value = block(own, depth + 1);
        value ??= { type: 'null', value: null, offset: line.start + colon[0].length, length: 0 } as YamlNode;
      } else value = yamlFlow(rest, line.start + colon[0].length, 0);
      node.children!.push(yamlProperty(keyText, line.start, value, node));
    }
    const last = node.children![node.children!.length - 1];
    node.length = last ? last.offset + last.length - node.offset : 1;
    return node;
  };
  let root: YamlNode | undefined;
  try {
    root = block(0, 0);
  } catch {
    root = undefined;
  }
  return { path, root, lines: new LineIndex(text) };
}
