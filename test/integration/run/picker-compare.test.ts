// The picker (`conductor tui` with no FILE) lists compare plans like other plans, saying what they compare.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pickerItems } from '../../../src/cli/tui';
import { tempProject } from './helpers';

describe('picker items', () => {
  it('a plan with providers: [a, b] shows "compare: a, b"; other plans none; a broken file is still listed', () => {
    const cwd = tempProject();
    writeFileSync(join(cwd, 'plans/broken.plan.yaml'), 'goal: [unclosed\n');
    const items = pickerItems(cwd, { proof: join(cwd, 'proof'), trace: join(cwd, 'trace') });
    const byFile = Object.fromEntries(items.map((i) => [i.file, i]));
    expect(byFile['plans/compare.plan.yaml']).toMatchObject({ kind: 'plan', detail: 'compare: sim-careful, sim-quick' });
    expect(byFile['plans/demo.plan.yaml'].detail).toBeUndefined();
    expect(byFile['plans/broken.plan.yaml']).toMatchObject({ kind: 'plan' });
  });
});
