// zod issues → positioned diagnostics that say what was found and what is expected.
import type * as z from 'zod';
import { describeValue } from '../duration';
import { knownKeysAt } from '../schema/common';
import { didYouMean } from '../suggest';
import type { Diagnostic } from '../types';
import { diagnosticAt, valueAt, type Source } from './source';
import { code, pathText, type Path } from './diagnostic';

type Issue = z.core.$ZodIssue & { known?: string[]; keys?: string[] };

const ARTICLE: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  object: 'a mapping',
  array: 'a list',
  record: 'a mapping',
};

function leafMessage(src: Source, issue: Issue, path: Path): string {
  const { value } = valueAt(src.data, path);
  const found = describeValue(value);
  switch (issue.code) {
    case 'invalid_type':
      return `found ${found}, expected ${ARTICLE[issue.expected] ?? issue.expected}`;
    case 'invalid_value': {
      const values = issue.values.map(String);
      const near = typeof value === 'string' ? didYouMean(value, values) : '';
      return `found ${found}, expected one of ${values.join(', ')}${near}`;
    }
    case 'too_small':
      return `found ${found}, expected at least ${String(issue.minimum)}${issue.origin === 'array' ? ' items' : ''}`;
    case 'too_big':
      return `found ${found}, expected at most ${String(issue.maximum)}${issue.origin === 'array' ? ' items' : ''}`;
    default:
      return issue.message;
  }
}

/** The union branch that got furthest into the value, by the depth of its first issue. */
function bestBranch(errors: Issue[][]): Issue[] | undefined {
  let best: Issue[] | undefined;
  let depth = -1;
  for (const branch of errors) {
    const d = Math.max(...branch.map((i) => i.path.length + (i.code === 'invalid_type' ? 0 : 0.5)));
    if (d > depth) {
      best = branch;
      depth = d;
    }
  }
  return depth > 0 ? best : undefined;
}

function convert(src: Source, root: z.ZodType, issue: Issue, prefix: Path, out: Diagnostic[]): void {
  const path: Path = [...prefix, ...(issue.path as PropertyKey[])];
  if (issue.code === 'unrecognized_keys') {
    const known = issue.known ?? knownKeysAt(root, path) ?? [];
    for (const key of issue.keys ?? []) {
      const near = didYouMean(key, known);
      const msg = near
        ? `unknown key ${code(key)}${near}`
        : `unknown key ${code(key)}${known.length ? `, expected one of ${known.join(', ')}` : ''}`;
      out.push({ ...diagnosticAt(src, [...path, key], msg, 'key'), path: pathText(path) });
    }
    return;
  }
  if (issue.code === 'invalid_union') {
    const branch = bestBranch(issue.errors as Issue[][]);
    if (branch) {
      for (const i of branch) convert(src, root, i, path, out);
      return;
    }
  }
  const parent = path.slice(0, -1);
  const last = path[path.length - 1];
  const parentValue = valueAt(src.data, parent);
  const missing =
    path.length > 0 &&
    typeof last === 'string' &&
    parentValue.present &&
    parentValue.value !== null &&
    typeof parentValue.value === 'object' &&
    !Array.isArray(parentValue.value) &&
    !(last in (parentValue.value as object));
  let message = leafMessage(src, issue, path);
  if (missing) {
    const expected = /, expected (.*)$/.exec(message)?.[1];
    message = `missing key ${code(String(last))}${expected ? `, expected ${expected}` : ''}`;
    out.push({ ...diagnosticAt(src, parent, message), path: pathText(parent) });
    return;
  }
  out.push(diagnosticAt(src, path, message));
}

/** Diagnostics for the issues; a missing key is left out when a misspelled key next to it already names it. */
export function issuesToDiagnostics(src: Source, root: z.ZodType, issues: readonly z.core.$ZodIssue[], prefix: Path = []): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const issue of issues) convert(src, root, issue as Issue, prefix, out);
  const named = new Set(
    out.flatMap((d) => {
      const m = /^unknown key `[^`]*`; did you mean `([^`]*)`\?$/.exec(d.message);
      return m ? [`${d.path}|${m[1]}`] : [];
    }),
  );
  return out.filter((d) => {
    const m = /^missing key `([^`]*)`/.exec(d.message);
    return !(m && named.has(`${d.path}|${m[1]}`));
  });
}
