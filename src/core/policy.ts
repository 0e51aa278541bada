// Approval policy over every part of a command: the command is parsed as bash (unbash) and each simple
// command it would run, and each file it would write by redirection, is judged on its own.
//
// Parts (commandParts):
// - Every simple command at any depth is a part of kind `command`: each side of `&&`, `||`, `;`, `&` and
//   newlines; each stage of a pipeline (`|`, `|&`); the commands inside `$(…)`, backticks, `${ …; }`,
//   process substitutions `<(…)`/`>(…)`, subshells, brace groups, if/while/until/for/select/case
//   conditions and bodies, function bodies, coproc; and the command substitutions inside double-quoted
//   strings, parameter expansions (`${x:-$(…)}`), arithmetic, assignment values and indexes, redirect
//   targets, here-strings and unquoted here-doc bodies (a quoted delimiter, `<<'EOF'`, keeps the body literal).
//   `[[ … ]]` and `(( … ))` are command parts too (their own text), so a policy has to cover them.
// - A command part's text is its source text without its own redirections (the pieces around them joined
//   by one space), trimmed. It keeps leading assignments (`FOO=1 npm test` is not covered by `npm test`)
//   and any substitution it contains (`echo $(touch x)` gives `echo $(touch x)` and `touch x`).
//   `time` and `!` before a pipeline are not part of its commands' text.
// - An output redirection to a file (`>`, `>>`, `>|`, `&>`, `&>>`, `<>`, `>&word` when word is not a file
//   descriptor, with or without a descriptor number such as `2>file`) is a part of kind `redirect`, its
//   text the redirection as written (`> build/out.txt`, `2>err.log`). Not parts: duplications and
//   closings (`2>&1`, `>&2`, `<&-`), input redirections (`<`), here-docs and here-strings, and output to
//   `/dev/null`, `/dev/stdout` or `/dev/stderr`.
// - Text that does not parse, an empty command (nothing but blanks or comments, or nothing that runs),
//   or anything the walk cannot account for, is one part of kind `unparsed` holding the whole text. A
//   substitution or here-doc body that does not parse (an unterminated `$(` inside an unquoted here-doc
//   body, which unbash accepts silently) is an `unparsed` part holding its own text; the rest still counts.
//
// Judging (judge):
// - A part is `deny` when a deny glob matches its text (rule `deny "<glob>"`); else `allow` when an allow
//   glob matches it (rule `allow "<glob>"`); else the policy default (rule `default <mode>`).
// - An `unparsed` part can be denied by a deny glob but is never allowed, neither by an allow glob nor by
//   `default: allow`: it is `ask` (rule `unparsed`), or `deny` under `default: deny`.
// - A deny glob that matches the whole command text also denies the command (`deny: ["*rm -rf*"]` keeps
//   working on `cd x && rm -rf y`).
// - The command is `deny` when anything denies it, `allow` when every part is allowed, else `ask`.
// - Globs mean what commandMatches says: whole-text match, `*` matches anything, `/` and spaces included.
import { forEachChild, parse } from 'unbash';
import type { ArithmeticCommandExpansion, Command, CommandExpansionPart, ParsedScript, ProcessSubstitutionPart, Redirect, Redirection, Script, SyntaxNode } from 'unbash';
import { commandMatches } from './schema/policy';
import type { ApprovalPolicy } from './types';

export type PartKind = 'command' | 'redirect' | 'unparsed';
export type Verdict = 'allow' | 'deny' | 'ask';

export interface CommandPart {
  text: string;
  kind: PartKind;
}

export interface PartVerdict {
  text: string;
  kind: PartKind;
  verdict: Verdict;
  rule: string;
}

export interface Judgement {
  verdict: Verdict;
  parts: PartVerdict[];
  /** one line for people: the deciding rule(s) */
  rule: string;
}

/** Redirection operators that open a file for writing. `>&` is handled apart: it writes only when its target is not a descriptor. */
const WRITES = new Set<string>(['>', '>>', '>|', '&>', '&>>', '<>']);
/** Writing here changes no file. */
const SINKS = new Set(['/dev/null', '/dev/stdout', '/dev/stderr']);
/** `>&2`, `>&-`, `>&3-`: a duplication or a closing, not a file. */
const DESCRIPTOR = /^(?:\d+-?|-)$/;

function writesFile(r: Redirect): boolean {
  const target = r.target;
  const text = target?.text ?? '';
  if (r.operator === '>&') return !DESCRIPTOR.test(text);
  if (!WRITES.has(r.operator)) return false;
  if (!target) return true;
  const literal = !/[$`]/.test(text);
  return !(literal && (SINKS.has(text) || SINKS.has(target.value)));
}

type Substitution = CommandExpansionPart | ProcessSubstitutionPart | ArithmeticCommandExpansion;

/** unbash accepts some unterminated substitutions without an error (inside an unquoted here-doc body). */
function terminated(text: string): boolean {
  if (text.startsWith('$(') || text.startsWith('<(') || text.startsWith('>(')) return text.length > 2 && text.endsWith(')');
  if (text.startsWith('${')) return text.length > 2 && text.endsWith('}');
  if (text.startsWith('`')) return text.length > 1 && text.endsWith('`');
  return true;
}

class Walker {
  readonly parts: CommandPart[] = [];

  /** `src` is the text positions index: the command, or the decoded source of an escaped-backtick script. */
  script(node: Script, src: string): void {
    const own = node.source ?? src;
    for (const statement of node.commands) this.visit(statement, own);
  }

  visit(node: SyntaxNode, src: string): void {
    switch (node.type) {
      case 'Command':
        this.command(node, src);
        break;
      case 'TestCommand':
      case 'ArithmeticCommand':
        this.parts.push({ text: src.slice(node.pos, node.end).trim(), kind: 'command' });
        break;
      case 'Redirect':
        if (writesFile(node)) this.parts.push({ text: src.slice(node.pos, node.end).trim(), kind: 'redirect' });
        break;
      case 'HereDoc':
        // A quoted delimiter keeps the body literal; an unquoted one expands `$(…)` in it.
        if (node.delimiter?.quoted) return;
        break;
      case 'CommandExpansion':
      case 'ProcessSubstitution':
      case 'ArithmeticCommandExpansion':
        return this.substitution(node, src);
      case 'Script':
        return this.script(node, src);
    }
    forEachChild(node, (child) => this.visit(child, src));
  }

  private substitution(node: Substitution, src: string): void {
    const script: ParsedScript | undefined = node.script;
    if (!script || script.errors?.length || !terminated(node.text)) {
      this.parts.push({ text: node.text.trim(), kind: 'unparsed' });
      return;
    }
    this.script(script, src);
  }

  private command(node: Command, src: string): void {
    const redirects = [...node.prefix, ...node.suffix].filter((c): c is Redirection => c.type === 'Redirect' || c.type === 'HereDoc' || c.type === 'HereString');
    redirects.sort((a, b) => a.pos - b.pos);
    const pieces: string[] = [];
    let at = node.pos;
    for (const r of redirects) {
      pieces.push(src.slice(at, r.pos));
      at = Math.max(at, r.end);
    }
    pieces.push(src.slice(at, node.end));
    const text = pieces
      .map((p) => p.trim())
      .filter(Boolean)
      .join(' ');
    if (text) this.parts.push({ text, kind: 'command' });
  }
}

/** Every simple command the text would run and every file it would write by redirection, in source order. Never throws. */
export function commandParts(command: string): CommandPart[] {
  const whole: CommandPart[] = [{ text: command.trim(), kind: 'unparsed' }];
  try {
    const ast = parse(command);
    if (ast.errors?.length) return whole;
    const walker = new Walker();
    walker.script(ast, command);
    return walker.parts.length ? walker.parts : whole;
  } catch {
    return whole;
  }
}

function judgePart(policy: ApprovalPolicy, part: CommandPart): PartVerdict {
  const denied = policy.deny.find((g) => commandMatches(g, part.text));
  if (denied !== undefined) return { ...part, verdict: 'deny', rule: `deny "${denied}"` };
  if (part.kind === 'unparsed') return policy.default === 'deny' ? { ...part, verdict: 'deny', rule: 'default deny' } : { ...part, verdict: 'ask', rule: 'unparsed' };
  const allowed = policy.allow.find((g) => commandMatches(g, part.text));
  if (allowed !== undefined) return { ...part, verdict: 'allow', rule: `allow "${allowed}"` };
  return { ...part, verdict: policy.default, rule: `default ${policy.default}` };
}

/** A part's text for a one-line message. */
function shown(text: string): string {
  const line = text.replace(/\s+/g, ' ');
  return `\`${line.length > 60 ? `${line.slice(0, 59)}…` : line}\``;
}

const unique = (xs: string[]): string[] => [...new Set(xs)];

/** The policy's verdict on a command, part by part, with the rule(s) that decided it. */
export function judge(policy: ApprovalPolicy, command: string): Judgement {
  const parts = commandParts(command).map((p) => judgePart(policy, p));
  const wholeDeny = policy.deny.find((g) => commandMatches(g, command));
  const denied = parts.filter((p) => p.verdict === 'deny');
  if (denied.length || wholeDeny !== undefined) {
    const reasons = unique(denied.map((p) => `${p.rule} on ${shown(p.text)}`));
    if (wholeDeny !== undefined && !denied.some((p) => p.rule === `deny "${wholeDeny}"`)) reasons.unshift(`deny "${wholeDeny}" on the whole command`);
    return { verdict: 'deny', parts, rule: reasons.join('; ') };
  }
  const asked = parts.filter((p) => p.verdict === 'ask');
  if (asked.length) {
    const open = unique(asked.filter((p) => p.kind !== 'unparsed').map((p) => shown(p.text)));
    const unparsed = unique(asked.filter((p) => p.kind === 'unparsed').map((p) => shown(p.text)));
    const reasons: string[] = [];
    if (open.length) reasons.push(`no rule covers ${open.join(', ')}`);
    if (unparsed.length) reasons.push(`${unparsed.join(', ')} did not parse`);
    return { verdict: 'ask', parts, rule: reasons.join('; ') };
  }
  return { verdict: 'allow', parts, rule: unique(parts.map((p) => p.rule)).join(', ') };
}

/** The verdict alone: what the runtime acts on. */
export function decide(policy: ApprovalPolicy, command: string): Verdict {
  return judge(policy, command).verdict;
}
