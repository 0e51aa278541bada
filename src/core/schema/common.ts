// Shared zod building blocks: durations, ids, string lists, confined relative paths, sub-schema forwarding.
import * as z from 'zod';
import { posix } from 'node:path';
import { describeValue, parseDuration } from '../duration';
import { didYouMean } from '../suggest';
import type { WorkspaceSpec } from '../types';
import { code } from '../load/diagnostic';

type Ctx = z.RefinementCtx;
export type Fail = (message: string, path?: PropertyKey[]) => typeof z.NEVER;

/** A schema over any input with a hand-written check; `fail` adds an issue at an optional sub-path. */
export function custom<T>(fn: (value: unknown, fail: Fail, ctx: Ctx) => T) {
  return z.unknown().transform((value, ctx) => {
    const fail: Fail = (message, path = []) => {
      ctx.addIssue({ code: 'custom', message, path: path as (string | number)[], input: value });
      return z.NEVER;
    };
    return fn(value, fail, ctx);
  });
}

/** Known keys of the object schema reached by following `path` through wrappers, arrays and records. */
export function knownKeysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] | undefined {
  let s: any = schema;
  let i = 0;
  for (let guard = 0; s && guard < 200; guard++) {
    const def = s._zod?.def;
    if (!def) return undefined;
    switch (def.type) {
      case 'optional':
      case 'nullable':
      case 'default':
      case 'prefault':
      case 'readonly':
      case 'catch':
      case 'nonoptional':
        s = def.innerType;
        continue;
      case 'lazy':
        s = def.getter();
        continue;
      case 'pipe':
        s = def.out?._zod?.def?.type === 'transform' ? def.in : def.out;
        continue;
      case 'union': {
        const objects = (def.options as any[]).filter((o) => knownKeysAt(o, path.slice(i)) !== undefined);
        return objects.length ? knownKeysAt(objects[0], path.slice(i)) : undefined;
      }
      case 'object':
        if (i === path.length) return Object.keys(def.shape);
        s = def.shape[path[i++] as string];
        continue;
      case 'array':
        if (i === path.length) return undefined;
        i++;
        s = def.element;
        continue;
      case 'record':
        if (i === path.length) return undefined;
        i++;
        s = def.valueType;
        continue;
      default:
        return undefined;
    }
  }
  return undefined;
}

/** Validate `value` with `schema` and report its issues under `prefix` in the surrounding parse. */
export function forward<S extends z.ZodType>(
  ctx: Ctx,
  schema: S,
  value: unknown,
  prefix: PropertyKey[] = [],
): z.output<S> | undefined {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  for (const issue of r.error.issues) {
    const extra =
      issue.code === 'unrecognized_keys' ? { known: (issue as any).known ?? knownKeysAt(schema, issue.path) } : {};
    ctx.addIssue({ ...(issue as any), ...extra, path: [...prefix, ...issue.path] });
  }
  return undefined;
}

export const duration = custom((v, fail) => {
  const r = parseDuration(v);
  return r.ok ? r.ms : fail(r.message);
});

/** A number of milliseconds, or a duration string like `400ms` / `2s`. */
export const millis = custom((v, fail) => {
  if (typeof v === 'number' && Number.isFinite(v) && v >= 0) return Math.round(v);
  if (typeof v === 'string') {
    const r = parseDuration(v);
    if (r.ok && /[a-z]$/i.test(v.trim())) return r.ms;
  }
  return fail(`found ${describeValue(v)}, expected milliseconds (a number like 400, or a duration like 400ms)`);
});

export const text = (what = 'text') =>
  custom((v, fail) => {
    if (typeof v !== 'string') return fail(`found ${describeValue(v)}, expected ${what} (a string)`);
    if (!v.trim()) return fail(`found an empty string, expected ${what}`);
    return v;
  });

export const id = custom((v, fail) => {
  if (typeof v === 'string' && v.trim()) return v.trim();
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return fail(`found ${describeValue(v)}, expected a step id (a name or a number)`);
});

/** A string or a list of strings, normalized to a list. */
export const stringList = (what = 'a string or a list of strings') =>
  custom((v, fail) => {
    if (v === undefined || v === null) return [] as string[];
    const list = typeof v === 'string' || typeof v === 'number' ? [v] : v;
    if (!Array.isArray(list)) return fail(`found ${describeValue(v)}, expected ${what}`);
    const out: string[] = [];
    list.forEach((item, i) => {
      if (typeof item === 'string' && item.trim()) out.push(item.trim());
      else if (typeof item === 'number') out.push(String(item));
      else fail(`found ${describeValue(item)}, expected a non-empty string`, [i]);
    });
    return out;
  });

/** Why a path written in a file escapes the folder it is relative to, if it does. */
export function escapeReason(p: string): string | undefined {
  if (p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p) || p.startsWith('\\') || p.startsWith('~'))
    return `found absolute path "${p}", expected a path relative to the project`;
  const norm = posix.normalize(p.replace(/\\/g, '/'));
  if (norm === '..' || norm.startsWith('../'))
    return `found "${p}", which leaves the project root; expected a path inside it`;
  return undefined;
}

/** A relative path that stays inside its root (no absolute paths, no `..` out). */
export const relPath = custom((v, fail) => {
  if (typeof v !== 'string' || !v.trim()) return fail(`found ${describeValue(v)}, expected a relative file path`);
  const why = escapeReason(v.trim());
  return why ? fail(why) : v.trim();
});

export const relPathList = custom((v, fail, ctx) => {
  if (v === undefined || v === null) return [] as string[];
  const list = typeof v === 'string' ? [v] : v;
  if (!Array.isArray(list)) return fail(`found ${describeValue(v)}, expected a list of relative file paths`);
  const out: string[] = [];
  list.forEach((item, i) => {
    const r = forward(ctx, relPath, item, [i]);
    if (typeof r === 'string') out.push(r);
  });
  return out;
});

export const positiveInt = (what: string) =>
  custom((v, fail) => {
    if (typeof v === 'number' && Number.isInteger(v) && v >= 1) return v;
    return fail(`found ${describeValue(v)}, expected ${what} (a whole number of at least 1)`);
  });

export const fraction = (what: string) =>
  custom((v, fail) => {
    if (typeof v === 'number' && v >= 0 && v <= 1) return v;
    if (typeof v === 'string' && /^\d+(\.\d+)?%$/.test(v.trim())) {
      const n = Number(v.trim().slice(0, -1)) / 100;
      if (n <= 1) return n;
    }
    return fail(`found ${describeValue(v)}, expected ${what} between 0 and 1 (or a percentage like 80%)`);
  });

const folder = text('a folder');

/** `dir` | {path} | {fixture} | {git}; folders are confined to the project root by the loader. */
export const workspace = custom((v, fail, ctx) => {
  if (typeof v === 'string') {
    const r = forward(ctx, folder, v);
    return r === undefined ? z.NEVER : { path: r };
  }
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    const keys = Object.keys(v);
    const kinds = ['path', 'fixture', 'git'];
    const kind = keys.filter((k) => kinds.includes(k));
    if (kind.length !== 1 || keys.length !== 1) {
      const odd = keys.find((k) => !kinds.includes(k));
      return fail(
        `found a mapping with ${keys.length ? keys.map((k) => code(k)).join(', ') : 'no keys'}, expected exactly one of \`path\`, \`fixture\`, \`git\`${odd ? didYouMean(odd, kinds) : ''}`,
      );
    }
    const k = kind[0] as 'path' | 'fixture' | 'git';
    const r = forward(ctx, k === 'git' ? text('a git ref') : folder, (v as Record<string, unknown>)[k], [k]);
    return r === undefined ? z.NEVER : ({ [k]: r } as WorkspaceSpec);
  }
  return fail(`found ${describeValue(v)}, expected a folder path, {fixture: dir} or {git: ref}`);
}) as unknown as z.ZodType<WorkspaceSpec>;
