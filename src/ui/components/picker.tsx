// The start screen without a FILE: plans, scenarios and resumable executions to open.
import { Box, Text, useInput } from 'ink';
import SelectInput from 'ink-select-input';
import { plainLine } from '../sanitize';

export interface PickerItem {
  kind: 'plan' | 'scenario' | 'execution';
  /** What is shown, e.g. the file name or the execution id. */
  label: string;
  /** Plan or scenario file, or the execution's plan file. */
  file?: string;
  /** Execution id, for kind 'execution'. */
  exec?: string;
  /** e.g. `interrupted`, `3/5 done`, `valid`. */
  status?: string;
  detail?: string;
}

export interface PickerProps {
  items: PickerItem[];
  onSelect(item: PickerItem): void;
  onCancel?(): void;
  limit?: number;
}

const KIND: Record<PickerItem['kind'], string> = { plan: 'plan     ', scenario: 'scenario ', execution: 'resume   ' };

export function Picker({ items, onSelect, onCancel, limit }: PickerProps) {
  useInput((input, key) => {
    if (key.escape || input === 'q') onCancel?.();
  });
  const options = items.map((item, i) => ({
    key: String(i),
    label: `${KIND[item.kind]}${plainLine(item.label)}${item.status ? `  [${plainLine(item.status)}]` : ''}${item.detail ? `  ${plainLine(item.detail)}` : ''}`,
    value: i,
  }));
  return (
    <Box flexDirection="column">
      <Text bold>
        <Text color="cyan">conductor</Text> — open a plan or scenario, or resume an execution
      </Text>
      <Text color="gray">↑/↓ choose · Enter open · q quit</Text>
      {items.length === 0 ? (
        <Text color="yellow">Nothing found under plans/ and no resumable executions. Try: conductor tui plans/demo.plan.yaml</Text>
      ) : (
        <SelectInput items={options} limit={limit} onSelect={(o) => onSelect(items[o.value])} />
      )}
    </Box>
  );
}
