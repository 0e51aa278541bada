// Approval policies: shorthand and full forms, command globs, and decide() (core/policy) over them.
import { describe, expect, it } from 'vitest';
import { decide } from '../../../src/core/policy';
import { approvalPolicySchema, commandMatches } from '../../../src/core/schema/policy';
import type { ApprovalPolicy } from '../../../src/core/types';

const policy = (p: Partial<ApprovalPolicy>): ApprovalPolicy => ({ default: 'ask', allow: [], deny: [], onTimeout: 'deny', ...p });

describe('approval policy schema', () => {
  it('normalizes the shorthand', () => {
    expect(approvalPolicySchema.parse('allow')).toEqual({ default: 'allow', allow: [], deny: [], onTimeout: 'deny' });
  });
  it('normalizes the full form with defaults', () => {
    expect(approvalPolicySchema.parse({ allow: ['npm *'], timeout: '2m' })).toEqual({
      default: 'ask',
      allow: ['npm *'],
      deny: [],
      timeout: 120_000,
      onTimeout: 'deny',
    });
  });
  it('rejects unknown modes with a suggestion', () => {
    const r = approvalPolicySchema.safeParse('alow');
    expect(r.success).toBe(false);
    expect(r.error?.issues[0].message).toContain('did you mean `allow`?');
  });
});

describe('decide', () => {
  it('matches whole commands, `*` across spaces and slashes', () => {
    expect(commandMatches('npm *', 'npm run build -- --out=dist/x')).toBe(true);
    expect(commandMatches('git status', 'git status')).toBe(true);
    expect(commandMatches('git status', 'git status --short')).toBe(false);
    expect(commandMatches('rm *', 'rm -rf a/../b')).toBe(true);
    expect(commandMatches('./build.sh *', './build.sh out/x')).toBe(true);
    expect(commandMatches('node *', 'node -e "console.log(1)"')).toBe(true);
    expect(commandMatches('npm test*', 'npm test')).toBe(true);
    expect(commandMatches('{npm,pnpm} test', 'pnpm test')).toBe(true);
  });

  it('lets deny win over allow, then falls back to the default', () => {
    const p = policy({ allow: ['*'], deny: ['rm -rf *'] });
    expect(decide(p, 'rm -rf /')).toBe('deny');
    expect(decide(p, 'ls -la')).toBe('allow');
    expect(decide(policy({ default: 'deny' }), 'ls')).toBe('deny');
    expect(decide(policy({}), 'ls')).toBe('ask');
    expect(decide(policy({ allow: ['git status'] }), 'git push')).toBe('ask');
  });
});
