// A parsed YAML/JSON source that keeps node positions, so a field path maps back to `line:col`.
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import type { Diagnostic } from '../types';
import { pathText, type Path } from './diagnostic';

export interface Source {
  file: string;
  doc: Document.Parsed;
  lines: LineCounter;
  data: unknown;
}

export type ParseSourceResult = { ok: true; source: Source } | { ok: false; diagnostics: Diagnostic[] };

function firstLine(message: string): string {
  return message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '').trim();
}

/** Where JSON.parse stops reading `text`: its length when valid; the offset of the first char that cannot be JSON. */
function jsonErrorAt(text: string): number | undefined {
  const failure = (t: string): { at?: number } | undefined => {
    try {
      JSON.parse(t);
      return undefined;
    } catch (e) {
      const message = (e as Error).message;
      if (/^Unexpected end of JSON input/.test(message)) return { at: t.length };
      const m = / at position (\d+)/.exec(message);
      return { at: m ? Number(m[1]) : undefined };
    }
  };
  const whole = failure(text);
  if (!whole) return undefined;
  if (whole.at !== undefined) return whole.at;
  // This runtime's message has no position: the error is where the longest prefix that could still become JSON ends.
  let good = 0;
  let bad = text.length;
  while (bad - good > 1) {
    const mid = (good + bad) >> 1;
    const f = failure(text.slice(0, mid));
    if (!f || (f.at !== undefined && f.at >= mid - 1)) good = mid;
    else bad = mid;
  }
  return good;
}

function jsonSyntaxError(text: string, file: string): Diagnostic[] {
  let message: string;
  try {
    JSON.parse(text);
    return [];
  } catch (e) {
    message = (e as Error).message.replace(/, (?:\.\.\.)?".*$/s, '').replace(/ in JSON at position \d+.*$/s, '');
  }
  const lines = new LineCounter();
  lines.addNewLine(0);
  for (const m of text.matchAll(/\n/g)) lines.addNewLine(m.index + 1);
  const { line, col } = lines.linePos(Math.min(jsonErrorAt(text) ?? 0, text.length));
  return [{ file, line, col, path: '', message: `syntax error: ${message} (a .json file must be strict JSON: no trailing commas, comments or single quotes)` }];
}

/**
 * The largest file read. Plans are prompts and lists, not data: past this, parsing alone (the YAML reader walks a
 * quoted string char by char) would take seconds and the value could not be a sensible prompt anyway.
 */
export const MAX_SOURCE_CHARS = 1024 * 1024;

export function parseSource(text: string, file: string): ParseSourceResult {
  if (text.length > MAX_SOURCE_CHARS) {
    const mb = (text.length / (1024 * 1024)).toFixed(1);
    return { ok: false, diagnostics: [{ file, line: 1, col: 1, path: '', message: `found a file of ${mb} MB, expected at most 1 MB; move large text into files the task names` }] };
  }
  // YAML reads JSON with trailing commas and comments too; a file that says it is JSON must be JSON.
  if (/\.json$/i.test(file)) {
    const errors = jsonSyntaxError(text, file);
    if (errors.length) return { ok: false, diagnostics: errors };
  }
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true, strict: true });
  if (doc.errors.length) {
    return {
      ok: false,
      diagnostics: doc.errors.map((e) => {
        let at = e.pos[0];
        const quote = /Missing closing (["'])quote/.exec(e.message)?.[1];
        if (quote && text.lastIndexOf(quote, at - 1) >= 0) at = text.lastIndexOf(quote, at - 1);
        const { line, col } = lines.linePos(at);
        return { file, line, col, path: '', message: `syntax error: ${firstLine(e.message)}` };
      }),
    };
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    return { ok: false, diagnostics: [{ file, line: 1, col: 1, path: '', message: `cannot read document: ${(e as Error).message}` }] };
  }
  return { ok: true, source: { file, doc, lines, data } };
}

function child(node: unknown, seg: PropertyKey): { key?: Node; value?: Node; found: boolean } {
  if (isMap(node)) {
    for (const item of node.items) {
      if (!isPair(item)) continue;
      const k = isScalar(item.key) ? item.key.value : item.key;
      if (String(k) === String(seg)) return { key: item.key as Node, value: (item.value ?? undefined) as Node | undefined, found: true };
    }
    return { found: false };
  }
  if (isSeq(node) && typeof seg === 'number') {
    const v = node.items[seg];
    return v === undefined ? { found: false } : { value: v as Node, found: true };
  }
  return { found: false };
}

export interface Located {
  line: number;
  col: number;
  /** Whether the whole path exists in the document (false: the position is of its deepest existing parent). */
  exists: boolean;
}

/** Position of the value at `path` (or of its key with `at: 'key'`); the deepest existing parent when missing. */
export function locate(src: Source, path: Path, at: 'value' | 'key' = 'value'): Located {
  let node: unknown = src.doc.contents;
  let pos = (node as Node | null)?.range?.[0] ?? 0;
  let exists = true;
  for (let i = 0; i < path.length; i++) {
    const c = child(node, path[i]);
    if (!c.found) {
      exists = false;
      break;
    }
    const last = i === path.length - 1;
    const target = last && at === 'key' && c.key ? c.key : (c.value ?? c.key);
    if (target?.range) pos = target.range[0];
    node = c.value;
  }
  const { line, col } = src.lines.linePos(pos);
  return { line, col, exists };
}

export function diagnosticAt(src: Source, path: Path, message: string, at: 'value' | 'key' = 'value'): Diagnostic {
  const { line, col } = locate(src, path, at);
  return { file: src.file, line, col, path: pathText(path), message };
}

/** The raw value at `path` in the parsed data, and whether it is present. */
export function valueAt(data: unknown, path: Path): { present: boolean; value: unknown } {
  let cur: unknown = data;
  for (const seg of path) {
    if (cur && typeof cur === 'object' && Object.prototype.hasOwnProperty.call(cur, seg as string)) {
      cur = (cur as Record<string, unknown>)[seg as string];
    } else return { present: false, value: undefined };
  }
  return { present: true, value: cur };
}
