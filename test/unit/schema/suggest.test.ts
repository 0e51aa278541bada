// Did-you-mean: typos, transpositions and case slips find the intended name; far-off words find nothing.
import { describe, expect, it } from 'vitest';
import { didYouMean, editDistance, suggest } from '../../../src/core/suggest';

describe('suggest', () => {
  const keys = ['id', 'agent', 'provider', 'task', 'dependsOn', 'expectedOutputs', 'checks', 'approval', 'timeout', 'sim'];
  it.each([
    ['dependson', 'dependsOn'],
    ['depnedsOn', 'dependsOn'],
    ['expectedOutput', 'expectedOutputs'],
    ['timout', 'timeout'],
    ['agnet', 'agent'],
    ['Task', 'task'],
  ])('%s → %s', (word, expected) => {
    expect(suggest(word, keys)).toBe(expected);
  });
  it('gives nothing for unrelated words and numbers', () => {
    expect(suggest('banana', keys)).toBeUndefined();
    expect(suggest('3', ['1', '2'])).toBeUndefined();
    expect(didYouMean('zzz', keys)).toBe('');
    expect(didYouMean('chekcs', keys)).toBe('; did you mean `checks`?');
  });
  it('counts a transposition as one edit', () => {
    expect(editDistance('ab', 'ba')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });
});
