// The sim agent reads its task from the generated prompt's Task section, not from quoted prior context.
import { describe, expect, it } from 'vitest';
import { taskOf } from '../../src/sim/script';

describe('taskOf', () => {
  it('prefers the Task section over task lines quoted from a dependency transcript', () => {
    const prompt = ['## Context', '- Goal: g', '', '## Task', '', 'Implement greet()', '', '## Dependencies and prior context', '  task: Read the project and write NOTES.md'].join('\n');
    expect(taskOf(prompt)).toBe('Implement greet()');
  });
  it('reads a leading task: line in a hand-written prompt', () => {
    expect(taskOf('task: list files\nmore')).toBe('list files');
  });
  it('falls back to the first line', () => {
    expect(taskOf('\n# Title\nDo the thing\n')).toBe('Do the thing');
  });
});
