import { render } from 'ink-testing-library';
import { afterEach, expect, test, vi } from 'vitest';
import { cleanup } from 'ink-testing-library';
import { Picker } from '../../src/ui/components/picker';
import type { PickerItem } from '../../src/ui/components/picker';
import { settle } from './harness';

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
  // SelectInput reads its index from the last render: give each key time to commit on a busy machine.
  stdin.write('\x1b[B');
  await settle(150);
  stdin.write('\x1b[B');
  await settle(150);
  stdin.write('\r');
  await settle(150);
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
