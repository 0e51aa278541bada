import { describe, expect, test } from 'vitest';
import type { ApprovalState } from '../../src/core/state';
import { approvalOverlayRows, approvalStateText, commandLines, countdown, deadlineText, visibleCommandRows, wrapLine } from '../../src/ui/approval-text';

const ap = (extra: Partial<ApprovalState> = {}): ApprovalState => ({
  id: 'ap-1', session: 's', unit: 'u', via: 'screen', command: 'ls', options: ['allow', 'deny'], status: 'pending', requestedAt: 0, ...extra,
});

describe('approval text', () => {
  test('wrapping keeps every character, breaks after spaces when it can, and cuts long words', () => {
    const line = 'npm run build && npm test -- --reporter=verbose';
    const parts = wrapLine(line, 12);
    expect(parts.join('')).toBe(line);
    expect(parts.every((p) => [...p].length <= 12)).toBe(true);
    expect(parts[0]).toBe('npm run ');
    expect(wrapLine('x'.repeat(25), 10)).toEqual(['x'.repeat(10), 'x'.repeat(10), 'x'.repeat(5)]);
    expect(wrapLine('日本語のコマンド', 6)).toEqual(['日本語', 'のコマ', 'ンド']);
  });

  test("a command's own lines are kept, control characters are not", () => {
    expect(commandLines('cat <<EOF\nhi\x1b]0;t\x07 there\nEOF\n', 40)).toEqual(['cat <<EOF', 'hi there', 'EOF']);
  });

  test('the overlay height follows the command, the status lines and the details', () => {
    expect(approvalOverlayRows(undefined, false, 80)).toBe(0);
    expect(approvalOverlayRows(ap(), false, 80)).toBe(6);
    expect(approvalOverlayRows(ap(), true, 80)).toBe(9);
    expect(approvalOverlayRows(ap({ command: 'x'.repeat(74 * 3) }), false, 80)).toBe(8);
    expect(approvalOverlayRows(ap({ command: 'x'.repeat(74 * 20) }), false, 80)).toBe(11);
    expect(approvalOverlayRows(ap({ offscreen: true, deadline: 5, onTimeout: 'deny' }), false, 80)).toBe(8);
    // A small terminal: fewer command lines at once (the rest scrolls), never none.
    expect(visibleCommandRows(ap({ command: 'x'.repeat(74 * 20) }), false, 80, 8)).toBe(3);
    expect(approvalOverlayRows(ap({ command: 'x'.repeat(74 * 20) }), true, 80, 4)).toBe(9);
  });

  test('countdown', () => {
    expect([countdown(41_200), countdown(125_000), countdown(3_725_000), countdown(-5)]).toEqual(['42s', '2m05s', '1h02m', '0s']);
    expect(deadlineText(ap({ deadline: 42_000, onTimeout: 'deny' }), 0)).toBe('decides deny in 42s (policy timeout)');
    expect(deadlineText(ap({ deadline: 42_000, onTimeout: 'allow' }), 50_000)).toMatch(/^decides allow now/);
    expect(deadlineText(ap(), 0)).toBeUndefined();
  });

  test('what became of an approval, and who decided how', () => {
    const t = (extra: Partial<ApprovalState>, here = false) => approvalStateText(ap(extra), here).text;
    expect(t({})).toBe('waiting');
    expect(t({ offscreen: true })).toBe('waiting (the prompt is off the screen)');
    expect(t({}, true)).toBe('sending your answer');
    expect(t({ status: 'resolved', decision: 'allow', by: 'user', how: 'pane' })).toBe('allow by you (typed in the pane)');
    expect(t({ status: 'resolved', decision: 'allow', by: 'user', how: 'overlay' })).toBe('allow by you');
    expect(t({ status: 'resolved', decision: 'deny', by: 'policy', rule: 'deny "rm *" on `rm -rf /`' })).toBe('deny by policy: deny "rm *" on `rm -rf /`');
    expect(t({ status: 'resolved', decision: 'deny', by: 'timeout' })).toBe('deny by timeout');
    expect(t({ status: 'decided', decision: 'deny', by: 'user', how: 'overlay' })).toBe('deny by you (answering…)');
    expect(t({ status: 'withdrawn', reason: 'the agent withdrew its request' })).toBe('withdrawn: the agent withdrew its request');
    expect(t({ status: 'abandoned', reason: 'the session ended' })).toBe('abandoned: the session ended');
    expect(t({ status: 'abandoned', decision: 'allow', by: 'user', reason: 'quit' })).toBe('allow by you, abandoned: quit');
  });
});
