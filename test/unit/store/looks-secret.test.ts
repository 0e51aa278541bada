import { describe, expect, it } from 'vitest';
import { looksSecret } from '../../../src/adapters/store/redaction';

describe('looksSecret (for file names made of ids)', () => {
  it('is true for what the store redacts and false for ordinary ids', () => {
    expect(looksSecret('xoxb-1234567890-abcdef')).toBe(true);
    expect(looksSecret('ghp_abcdefghijklmnopqrstuvwxyz0123456789')).toBe(true);
    expect(looksSecret('-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----')).toBe(true);
    for (const id of ['plan', 'api', 'build-2', 'a_b', 'greeting']) expect(looksSecret(id), id).toBe(false);
  });
});
