// Reads plan and scenario files from disk and hands their text to the pure loader.
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { parseInputText, type Loaded, type LoadOptions } from '../../core/load/index';
import type { Config, Plan, Scenario } from '../../core/types';
import { realPath } from '../workspace/prepare';

export interface LoadInputOptions extends Omit<LoadOptions, 'absPath'> {
  /** Folder relative paths are resolved from; also the project root when the file lies inside it. */
  cwd?: string;
  /** Resolved config: supplies the default provider and the user-defined provider names. */
  config?: Pick<Config, 'provider' | 'providers'>;
}

/** The project root for a file: the working directory when the file is inside it, else the file's folder. */
export function rootFor(absFile: string, cwd: string): string {
  const rel = relative(cwd, absFile);
  return rel.startsWith('..') || isAbsolute(rel) ? dirname(absFile) : cwd;
}

export async function loadInputFile(path: string, opts: LoadInputOptions = {}): Promise<Loaded<Plan | Scenario>> {
  const cwd = opts.cwd ?? process.cwd();
  const absPath = resolve(cwd, path);
  let text: string;
  try {
    text = await readFile(absPath, 'utf8');
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const why = err.code === 'ENOENT' ? 'ENOENT: no such file' : err.code === 'EISDIR' ? 'EISDIR: it is a folder' : err.message;
    return { ok: false, diagnostics: [{ file: path, line: 1, col: 1, path: '', message: `cannot read file: ${why}` }] };
  }
  return parseInputText(text, path, {
    absPath,
    root: opts.root ?? rootFor(absPath, cwd),
    defaultProvider: opts.defaultProvider ?? opts.config?.provider,
    providers: opts.providers ?? Object.keys(opts.config?.providers ?? {}),
    realpath: opts.realpath ?? realPath,
  });
}
