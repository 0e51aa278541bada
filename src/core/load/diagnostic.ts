// Diagnostics: field paths as text, the `file:line:col: error: path: message` rendering, sorting.
import type { Diagnostic } from '../types';

export type Path = readonly PropertyKey[];

export function pathText(path: Path): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(String(seg))) out += out ? `.${String(seg)}` : String(seg);
    else out += `[${JSON.stringify(String(seg))}]`;
  }
  return out;
}

export function formatDiagnostic(d: Diagnostic, severity: 'error' | 'warning' = 'error'): string {
  return `${d.file}:${d.line}:${d.col}: ${severity}: ${d.path ? `${d.path}: ` : ''}${d.message}`;
}

export function sortDiagnostics(list: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return [...list]
    .sort((a, b) => a.line - b.line || a.col - b.col)
    .filter((d) => {
      const key = `${d.line}:${d.col}:${d.path}:${d.message}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
}
