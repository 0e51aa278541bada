// Diagnostics: field paths as text, the `file:line:col: error: path: message` rendering, sorting.
import type { Diagnostic } from '../types';

export type Path = readonly PropertyKey[];

/** The most chars of a value from the file that a message repeats. */
const ECHO_LIMIT = 60;

/** A value from the file as a message repeats it: at most 60 chars, cut with `…`. */
export function clip(text: string): string {
  return text.length > ECHO_LIMIT ? `${text.slice(0, ECHO_LIMIT - 1)}…` : text;
}

/** A name from the file in backticks, clipped. */
export function code(name: unknown): string {
  return `\`${clip(String(name))}\``;
}

export function pathText(path: Path): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(String(seg))) out += out ? `.${String(seg)}` : String(seg);
    else out += `[${JSON.stringify(clip(String(seg)))}]`;
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
