// core/policy: a command split into every simple command and file write it would make, each judged by the policy.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { commandParts, decide, judge, type CommandPart } from '../../src/core/policy';
import type { ApprovalPolicy } from '../../src/core/types';

const c = (text: string): CommandPart => ({ text, kind: 'command' });
const r = (text: string): CommandPart => ({ text, kind: 'redirect' });
const u = (text: string): CommandPart => ({ text, kind: 'unparsed' });
const policy = (p: Partial<ApprovalPolicy>): ApprovalPolicy => ({ default: 'ask', allow: [], deny: [], onTimeout: 'deny', ...p });

describe('commandParts', () => {
  test.each<[string, string, CommandPart[]]>([
    ['a plain command', 'npm test', [c('npm test')]],
    ['&&', 'echo ok && touch pwned.txt', [c('echo ok'), c('touch pwned.txt')]],
    ['&& without spaces', 'echo ok&&touch x', [c('echo ok'), c('touch x')]],
    ['||', 'make || rm -rf build', [c('make'), c('rm -rf build')]],
    [';', 'echo a;rm b', [c('echo a'), c('rm b')]],
    ['&', 'sleep 1 & rm b', [c('sleep 1'), c('rm b')]],
    ['a trailing &', 'server &', [c('server')]],
    ['newlines', 'echo a\nrm b\n', [c('echo a'), c('rm b')]],
    ['|', 'echo ok | tee x', [c('echo ok'), c('tee x')]],
    ['|&', 'make |& tee log', [c('make'), c('tee log')]],
    ['time and ! before a pipeline', 'time ! ls | wc -l', [c('ls'), c('wc -l')]],
    ['$(…)', 'echo $(touch x)', [c('echo $(touch x)'), c('touch x')]],
    ['nested $( $(…) )', 'echo $( $(rm x) )', [c('echo $( $(rm x) )'), c('$(rm x)'), c('rm x')]],
    ['$(…) holding a list', 'echo $(a && b)', [c('echo $(a && b)'), c('a'), c('b')]],
    ['backticks', 'echo `touch x`', [c('echo `touch x`'), c('touch x')]],
    ['nested escaped backticks', 'echo `echo \\`rm x\\``', [c('echo `echo \\`rm x\\``'), c('echo `rm x`'), c('rm x')]],
    ['backticks inside $(…)', 'echo $(echo `rm x`)', [c('echo $(echo `rm x`)'), c('echo `rm x`'), c('rm x')]],
    ['bash 5.3 ${ …; }', 'echo ${ rm x; }', [c('echo ${ rm x; }'), c('rm x')]],
    ['$(…) in a parameter default', 'echo ${x:-$(rm y)}', [c('echo ${x:-$(rm y)}'), c('rm y')]],
    ['$(…) in arithmetic', 'echo $(( $(id -u) + 1 ))', [c('echo $(( $(id -u) + 1 ))'), c('id -u')]],
    ['>', 'echo ok > build/out.txt', [c('echo ok'), r('> build/out.txt')]],
    ['>>', 'echo ok >> log', [c('echo ok'), r('>> log')]],
    ['2>', 'make 2>err.log', [c('make'), r('2>err.log')]],
    ['&>', 'make &> all.log', [c('make'), r('&> all.log')]],
    ['&>>, >| and <>', 'a &>> b >| d <> e', [c('a'), r('&>> b'), r('>| d'), r('<> e')]],
    ['>&file writes a file', 'make >&out.log', [c('make'), r('>&out.log')]],
    ['a redirection before the command', '>out echo hi', [c('echo hi'), r('>out')]],
    ['a redirection between words', 'echo a>x b', [c('echo a b'), r('>x')]],
    ['a redirection alone', '> x', [r('> x')]],
    ['2>&1 is not a part', 'make 2>&1', [c('make')]],
    ['>&2 and <&- are not parts', 'echo oops >&2 <&- 3>&-', [c('echo oops')]],
    ['> /dev/null is not a part', 'make > /dev/null 2>/dev/stderr', [c('make')]],
    ['> "/dev/null" is not a part', 'make > "/dev/null"', [c('make')]],
    ['/dev/null with a substitution is', 'echo > /dev/null$(id)', [c('echo'), r('> /dev/null$(id)'), c('id')]],
    ['< is not a part', 'sort < in.txt', [c('sort')]],
    ['a substitution in a redirect target', 'echo hi > $(touch x)', [c('echo hi'), r('> $(touch x)'), c('touch x')]],
    ['a process substitution as a redirect target', 'echo hi > >(tee x)', [c('echo hi'), r('> >(tee x)'), c('tee x')]],
    ['< <(…)', 'cat < <(ls)', [c('cat'), c('ls')]],
    ['process substitutions', 'diff <(ls a) >(tee b)', [c('diff <(ls a) >(tee b)'), c('ls a'), c('tee b')]],
    ['a subshell', '(cd a && rm b)', [c('cd a'), c('rm b')]],
    ['a redirected subshell', '(cd a && make) 2>/dev/null', [c('cd a'), c('make')]],
    ['a brace group', '{ a; b; } > out', [c('a'), c('b'), r('> out')]],
    ['if/elif/else', 'if a; then b; elif c; then d; else e; fi', [c('a'), c('b'), c('c'), c('d'), c('e')]],
    ['for', 'for i in $(seq 3); do rm $i; done', [c('seq 3'), c('rm $i')]],
    ['while', 'while read l; do echo $l; done < f', [c('read l'), c('echo $l')]],
    ['until', 'until make; do sleep 1; done', [c('make'), c('sleep 1')]],
    ['case', 'case $(uname) in Linux) rm c;; *) ls;; esac', [c('uname'), c('rm c'), c('ls')]],
    ['a function definition', 'f() { rm x; }; f', [c('rm x'), c('f')]],
    ['a function keyword definition', 'function g { rm y; }', [c('rm y')]],
    ['[[ ]] and (( )) are parts', '[[ -f $(ls) ]] && (( x = $(id) + 1 ))', [c('[[ -f $(ls) ]]'), c('ls'), c('(( x = $(id) + 1 ))'), c('id')]],
    ['single quotes', "echo 'a && b'", [c("echo 'a && b'")]],
    ['single-quoted $(…)', "echo '$(rm x)'", [c("echo '$(rm x)'")]],
    ['double quotes', 'echo "a; b | c"', [c('echo "a; b | c"')]],
    ['$(…) in double quotes', 'echo "$(rm x)"', [c('echo "$(rm x)"'), c('rm x')]],
    ['backticks in double quotes', 'echo "`rm x`"', [c('echo "`rm x`"'), c('rm x')]],
    ['escapes', 'echo a \\&\\& b', [c('echo a \\&\\& b')]],
    ['an escaped $(', 'echo "\\$(rm x)" \\$\\(rm y\\)', [c('echo "\\$(rm x)" \\$\\(rm y\\)')]],
    ['a comment', 'echo ok # && rm x', [c('echo ok')]],
    ['an assignment prefix', 'FOO=1 npm test', [c('FOO=1 npm test')]],
    ['an assignment alone', 'x=1', [c('x=1')]],
    ['a substitution in an assignment', 'FOO=$(id) npm test', [c('FOO=$(id) npm test'), c('id')]],
    ['a substitution in an array index', 'a[$(ls)]=1', [c('a[$(ls)]=1'), c('ls')]],
    ['a here-doc with an unquoted delimiter runs $(…)', 'cat <<EOF > out\n$(rm x)\nEOF', [c('cat'), c('rm x'), r('> out')]],
    ['a here-doc <<- with backticks', 'cat <<-EOF\n\t`rm x`\n\tEOF', [c('cat'), c('rm x')]],
    ['a here-doc with a quoted delimiter is literal', "cat <<'EOF'\n$(rm x)\nEOF", [c('cat')]],
    ['a partly quoted delimiter is quoted', 'cat <<E"O"F\n$(rm x)\nEOF', [c('cat')]],
    ['an escaped $( in a here-doc body', 'cat <<EOF\n\\$(rm x)\nEOF', [c('cat')]],
    ['an unterminated $( in a here-doc body', 'cat <<EOF\n$(rm x\nEOF', [c('cat'), u('$(rm x')]],
    ['a here-string runs its substitutions', 'cat <<< "$(id)"', [c('cat'), c('id')]],
    ['a substitution that does not parse', 'echo $(foo &&)', [c('echo $(foo &&)'), u('$(foo &&)')]],
    ['unparseable: a dangling &&', 'echo ok &&', [u('echo ok &&')]],
    ['unparseable: an unterminated quote', 'echo "ok; rm x', [u('echo "ok; rm x')]],
    ['unparseable: an unterminated $(', 'echo $(rm x', [u('echo $(rm x')]],
    ['unparseable: a stray keyword', 'fi', [u('fi')]],
    ['unparseable: \\$( then (', 'echo \\$(rm x)', [u('echo \\$(rm x)')]],
    ['empty', '', [u('')]],
    ['blank', '   \n ', [u('')]],
    ['only a comment', '# nothing', [u('# nothing')]],
    ['nothing that runs', '> /dev/null', [u('> /dev/null')]],
  ])('%s: %j', (_name, command, parts) => {
    expect(commandParts(command)).toEqual(parts);
  });

  test('never throws, and always gives at least one part', () => {
    const alphabet = fc.constantFrom(...'abc $()`\'"\\;&|<>{}[]!#=*?~\n\t-0123'.split(''), 'EOF', '<<', '$((', 'if ', 'then ', 'fi', 'do ', 'done', 'case ', 'esac', ';;');
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.array(alphabet, { maxLength: 40 }).map((xs) => xs.join(''))), (s) => {
        const parts = commandParts(s);
        expect(parts.length).toBeGreaterThan(0);
        for (const p of parts) expect(['command', 'redirect', 'unparsed']).toContain(p.kind);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('judge', () => {
  const bug = policy({ allow: ['echo ok*'], deny: ['touch *'] });

  test.each<[string, Partial<ApprovalPolicy>, string, 'allow' | 'deny' | 'ask', string]>([
    ['&& no longer hides a denied command', bug, 'echo ok && touch pwned.txt', 'deny', 'deny "touch *" on `touch pwned.txt`'],
    ['; too', bug, 'echo ok; touch x', 'deny', 'deny "touch *" on `touch x`'],
    ['| too', { allow: ['echo ok*'] }, 'echo ok | tee x', 'ask', 'no rule covers `tee x`'],
    ['$(…) too', bug, 'echo ok $(touch x)', 'deny', 'deny "touch *" on `touch x`'],
    ['$(…) under allow echo *', { allow: ['echo *'], deny: ['touch *'] }, 'echo $(touch x)', 'deny', 'deny "touch *" on `touch x`'],
    ['backticks too', { allow: ['echo *'], deny: ['touch *'] }, 'echo `touch x`', 'deny', 'deny "touch *" on `touch x`'],
    ['a redirect not covered asks', { allow: ['echo *'] }, 'echo ok > x', 'ask', 'no rule covers `> x`'],
    ['a redirect covered allows', { allow: ['echo *', '> x'] }, 'echo ok > x', 'allow', 'allow "echo *", allow "> x"'],
    ['every part allowed', { allow: ['npm *', 'git status'] }, 'npm test && git status', 'allow', 'allow "npm *", allow "git status"'],
    ['an assignment prefix is not covered by the bare command', { allow: ['npm test'] }, 'FOO=1 npm test', 'ask', 'no rule covers `FOO=1 npm test`'],
    ['default allow with a denied part', { default: 'allow', deny: ['rm *'] }, 'ls && rm -rf x', 'deny', 'deny "rm *" on `rm -rf x`'],
    ['default allow without one', { default: 'allow', deny: ['rm *'] }, 'ls && cat x', 'allow', 'default allow'],
    ['default deny denies what is not allowed', { default: 'deny', allow: ['ls'] }, 'ls; make', 'deny', 'default deny on `make`'],
    ['a deny glob on the whole text still works', { default: 'allow', deny: ['*rm -rf*'] }, 'cd x && rm -rf y', 'deny', 'deny "*rm -rf*" on `rm -rf y`'],
    ['a deny glob matching only the whole text', { default: 'allow', deny: ['cd * && rm *'] }, 'cd x && rm y', 'deny', 'deny "cd * && rm *" on the whole command'],
    ['unparsed under default allow asks', { default: 'allow' }, 'echo "ok; rm x', 'ask', '`echo "ok; rm x` did not parse'],
    ['unparsed is never allowed by a glob', { allow: ['*'] }, 'echo ok &&', 'ask', '`echo ok &&` did not parse'],
    ['unparsed can be denied by a glob', { deny: ['*rm*'] }, 'echo "ok; rm x', 'deny', 'deny "*rm*" on `echo "ok; rm x`'],
    ['unparsed under default deny', { default: 'deny' }, 'echo $(', 'deny', 'default deny on `echo $(`'],
    ['a bad substitution is unparsed, the rest still judged', { allow: ['*'] }, 'echo $(foo &&)', 'ask', '`$(foo &&)` did not parse'],
    ['an unquoted here-doc body is judged', { allow: ['cat'], deny: ['rm *'] }, 'cat <<EOF\n$(rm x)\nEOF', 'deny', 'deny "rm *" on `rm x`'],
    ['a quoted here-doc body is not', { allow: ['cat'], deny: ['rm *'] }, "cat <<'EOF'\n$(rm x)\nEOF", 'allow', 'allow "cat"'],
    ['empty asks', { default: 'allow' }, '', 'ask', '`` did not parse'],
    ['several uncovered parts are listed', {}, 'a | b > out', 'ask', 'no rule covers `a`, `b`, `> out`'],
  ])('%s', (_name, p, command, verdict, rule) => {
    const j = judge(policy(p), command);
    expect(j.verdict).toBe(verdict);
    expect(j.rule).toBe(rule);
    expect(decide(policy(p), command)).toBe(verdict);
  });

  test('records every part with its verdict and rule', () => {
    expect(judge(bug, 'echo ok && touch pwned.txt')).toEqual({
      verdict: 'deny',
      rule: 'deny "touch *" on `touch pwned.txt`',
      parts: [
        { text: 'echo ok', kind: 'command', verdict: 'allow', rule: 'allow "echo ok*"' },
        { text: 'touch pwned.txt', kind: 'command', verdict: 'deny', rule: 'deny "touch *"' },
      ],
    });
    expect(judge(policy({ default: 'allow' }), 'echo "x').parts).toEqual([{ text: 'echo "x', kind: 'unparsed', verdict: 'ask', rule: 'unparsed' }]);
  });

  test('keeps the glob meaning: * spans spaces and slashes, whole-text match', () => {
    expect(decide(policy({ allow: ['rm *'] }), 'rm -rf a/../b')).toBe('allow');
    expect(decide(policy({ allow: ['git status'] }), 'git status --short')).toBe('ask');
    expect(decide(policy({ allow: ['{npm,pnpm} test'] }), 'pnpm test && npm test')).toBe('allow');
  });

  test('the one-line rule stays one line and short', () => {
    const j = judge(policy({}), `cat <<EOF\n${'$(x'.padEnd(200, 'y')}\nEOF`);
    expect(j.verdict).toBe('ask');
    expect(j.rule).not.toContain('\n');
    expect(j.rule.length).toBeLessThan(160);
  });
});
