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

export function parseSource(text: string, file: string): ParseSourceResult {
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
