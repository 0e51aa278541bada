import { render } from 'ink-testing-library';
import { afterEach, expect, test, vi } from 'vitest';
import { cleanup } from 'ink-testing-library';
import { Picker } from '../../src/ui/components/picker';
import type { PickerItem } from '../../src/ui/components/picker';
import { settle, until } from './harness';

afterEach(cleanup);

const items: PickerItem[] = [
  { kind: 'plan', label: 'plans/demo.plan.yaml', file: 'plans/demo.plan.yaml', status: 'valid' },
  { kind: 'scenario', label: 'plans/fix.scenario.yaml', file: 'plans/fix.scenario.yaml', status: 'valid' },
  { kind: 'execution', label: 'exec-1-abcd', exec: 'exec-1-abcd', status: 'interrupted', detail: '2/4 done' },
];

test('lists plans, scenarios and executions with their status; arrow + Enter selects', async () => {
  const onSelect = vi.fn();
  const { lastFrame, stdin } = render(<Picker items={items} onSelect={onSelect} />);
  await settle();
  expect(lastFrame()).toContain('plan     plans/demo.plan.yaml  [valid]');
  expect(lastFrame()).toContain('resume   exec-1-abcd  [interrupted]  2/4 done');
  // SelectInput reads its index from the last render (its input handler is renewed by an effect after the commit):
  // each key waits for the frame it moves the cursor to, then for the effects of that commit.
  const cursorAt = (text: string) => () => (lastFrame() ?? '').split('\n').some((l) => l.includes('❯') && l.includes(text));
  stdin.write('\x1b[B');
  await until(cursorAt(items[1].label), 'the cursor on the second item');
  await settle();
  stdin.write('\x1b[B');
  await until(cursorAt(items[2].label), 'the cursor on the third item');
  await settle();
  stdin.write('\r');
  await until(() => onSelect.mock.calls.length > 0, 'onSelect');
  expect(onSelect).toHaveBeenCalledWith(items[2]);
});

test('q cancels; an empty list says what to do', async () => {
  const onCancel = vi.fn();
  const { lastFrame, stdin } = render(<Picker items={[]} onSelect={() => {}} onCancel={onCancel} />);
  await settle();
  expect(lastFrame()).toContain('Nothing found under plans/');
  stdin.write('q');
  await settle();
  expect(onCancel).toHaveBeenCalled();
});
