import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRedactor, createStreamRedactor, createTerminalStreamRedactor, isRedactableValue, redact, redactTerminal } from '../../src/core/redact';

const ANTHROPIC = 'sk-ant-api03-' + 'Ab3_dE4-fG5hI6jK7lM8nO9pQ0rS1tU2vW3xY4zA5bC6dE7fG8hI9jK0lM1nO2pQ3rS4tU5vW6xY7zA8bC9dE0fG1hI2jK3lM4n-AA';
const OPENAI = 'sk-proj-' + 'Xy12Ab34Cd56Ef78Gh90Ij12Kl34Mn56Op78Qr90St12Uv34Wx56';
const OPENAI_LEGACY = 'sk-' + 'a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8s9T0u1V2w3X4';
const AWS = 'AKIAIOSFODNN7EXAMPLE';
const GOOGLE = 'AIza' + 'SyD-1234567890abcdefghijklmnopqrstu';
const GHP = 'ghp_' + 'abcdefghijklmnopqrstuvwxyz0123456789';
const GHO = 'gho_' + '0123456789abcdefghijklmnopqrstuvwxyz';
const GHS = 'ghs_' + 'ZYXWVUTSRQPONMLKJIHGFEDCBA9876543210';
const GH_PAT = 'github_pat_' + '11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz';
const SLACK = 'xoxb-' + '1234567890-0987654321-AbCdEfGhIjKlMnOp';
const JWT =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4ifQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c';
const BEARER_TOKEN = 'abc123DEF456ghi789JKL0.mno_pqr~stu';

const CASES: [string, string, string][] = [
  ['anthropic-key', ANTHROPIC, '[REDACTED:anthropic-key]'],
  ['openai-key (project)', OPENAI, '[REDACTED:openai-key]'],
  ['openai-key (legacy)', OPENAI_LEGACY, '[REDACTED:openai-key]'],
  ['aws', AWS, '[REDACTED:aws-access-key]'],
  ['google', GOOGLE, '[REDACTED:google-api-key]'],
  ['ghp', GHP, '[REDACTED:github-token]'],
  ['gho', GHO, '[REDACTED:github-token]'],
  ['ghs', GHS, '[REDACTED:github-token]'],
  ['github_pat', GH_PAT, '[REDACTED:github-token]'],
  ['slack', SLACK, '[REDACTED:slack-token]'],
  ['jwt', JWT, '[REDACTED:jwt]'],
  ['bearer', `Bearer ${BEARER_TOKEN}`, 'Bearer [REDACTED:bearer-token]'],
];

const ENV = {
  MY_API_KEY: 'hunter2-value',
  DEPLOY_TOKEN: 'tok/with.dots+and spaces',
  DB_PASSWORD: 'p@ss(w)rd[1]',
  SHORT_SECRET: 'abc12',
  HOME: '/home/someone',
  PATH: '/usr/bin:/bin',
};

describe('redact: patterns', () => {
  for (const [name, secret, replaced] of CASES) {
    it(`redacts ${name}`, () => {
      expect(redact(secret)).toBe(replaced);
      expect(redact(`key=${secret} end`)).toBe(`key=${replaced} end`);
      expect(redact(`"${secret}"`)).toBe(`"${replaced}"`);
      expect(redact(`\x1b[31m${secret}\x1b[0m`)).toBe(`\x1b[31m${replaced}\x1b[0m`);
      expect(redact(`line1\n${secret}\nline3`)).toBe(`line1\n${replaced}\nline3`);
    });
  }

  it('labels sk-ant keys as anthropic, not openai', () => {
    expect(redact(`x ${ANTHROPIC}`)).toBe('x [REDACTED:anthropic-key]');
  });

  it('keeps the Bearer scheme and redacts a JWT bearer as one token', () => {
    expect(redact(`Authorization: Bearer ${JWT}`)).toBe('Authorization: Bearer [REDACTED:bearer-token]');
    expect(redact(`authorization: bearer ${BEARER_TOKEN}`)).toBe('authorization: bearer [REDACTED:bearer-token]');
  });

  it('redacts several secrets in one text', () => {
    expect(redact(`${AWS} and ${GHP}, ${SLACK}.`)).toBe(
      '[REDACTED:aws-access-key] and [REDACTED:github-token], [REDACTED:slack-token].',
    );
  });

  it('does not touch ordinary text', () => {
    const plain = [
      'task-runner',
      'the task-runner-for-the-build-system-1234567 ran',
      'risk-assessment-2024-final-report-version-3',
      'sk-',
      'sk-abc',
      'sk-learn is a library',
      'use Bearer tokens for auth',
      'Bearer authentication_is_great',
      'AKIA is a prefix',
      'ghp_short',
      'xoxb-1',
      'eyJhbGciOi is not a jwt',
      'a.b.c',
      'desksk-ant-api03-abcdefghijklmnopqrstuvwxyz',
    ];
    for (const text of plain) expect(redact(text)).toBe(text);
  });

  it('is idempotent', () => {
    const text = CASES.map(([, s]) => s).join(' | ');
    const once = redact(text);
    expect(redact(once)).toBe(once);
    for (const [, secret] of CASES) expect(once).not.toContain(secret.slice(-12));
  });
});

describe('redact: environment values', () => {
  const r = createRedactor({ env: ENV });

  it('redacts values of *_KEY, *_TOKEN, *_SECRET, *_PASSWORD variables', () => {
    expect(r.redact('key is hunter2-value!')).toBe('key is [REDACTED:env:MY_API_KEY]!');
    expect(r.redact('t=tok/with.dots+and spaces;')).toBe('t=[REDACTED:env:DEPLOY_TOKEN];');
    expect(r.redact('pw p@ss(w)rd[1]')).toBe('pw [REDACTED:env:DB_PASSWORD]');
  });

  it('ignores short values and other variables', () => {
    expect(r.redact('abc12 /home/someone /usr/bin:/bin')).toBe('abc12 /home/someone /usr/bin:/bin');
  });

  it('never redacts values under 8 characters, nor plain words under 16 letters', () => {
    const words = createRedactor({ env: { GREETING_KEY: 'greeting', PASSWORD_TOKEN: 'password', NAME_SECRET: 'hello' } });
    expect(words.redact('a greeting: hello, password please')).toBe('a greeting: hello, password please');
    expect(isRedactableValue('hello')).toBe(false);
    expect(isRedactableValue('greeting')).toBe(false);
    expect(isRedactableValue('abc-1234')).toBe(true);
    expect(isRedactableValue('correcthorsebatterystaple')).toBe(true);
    for (const plain of ['read-only', 'hello world', 'greeting_module', 'node.js.org']) expect(isRedactableValue(plain), plain).toBe(false);
    for (const secret of ['tok-4f9a-77c1', 'hunter2-value', 'p@ssw0rd!', '12345678', 'correct-horse-battery-staple']) expect(isRedactableValue(secret), secret).toBe(true);
    const foo = createRedactor({ env: { FOO_TOKEN: 'greeting', BAR_KEY: 'read-only' } });
    expect(foo.redact('what the greeting module must export, read-only')).toBe('what the greeting module must export, read-only');
  });

  it('redacts every value of a provider env, whatever the variable is called', () => {
    const r2 = createRedactor({ allEnv: [{ SECRET_THING: 'sk-mock-1234567890abcdef', BASE: 'http://127.0.0.1:9/v1', WORD: 'hello' }, { OTHER: 'private-value-42' }] });
    expect(r2.redact('k=sk-mock-1234567890abcdef url=http://127.0.0.1:9/v1 hello private-value-42')).toBe(
      'k=[REDACTED:openai-key] url=[REDACTED:env:BASE] hello [REDACTED:env:OTHER]',
    );
  });

  it('redacts explicit values', () => {
    expect(createRedactor({ values: ['s3cr3t-thing'] }).redact('a s3cr3t-thing b')).toBe('a [REDACTED:value] b');
  });

  it('redacts inside JSON-like values, keys included, without breaking structure', () => {
    const v = { a: 'hunter2-value', list: [1, `x ${GHP}`, null, true], nested: { 'hunter2-value': 'k' } };
    const out = r.redactValue(v);
    expect(out).toEqual({
      a: '[REDACTED:env:MY_API_KEY]',
      list: [1, 'x [REDACTED:github-token]', null, true],
      nested: { '[REDACTED:env:MY_API_KEY]': 'k' },
    });
    expect(v.a).toBe('hunter2-value');
  });
});

function streamAll(chunks: string[], redactor = createRedactor({ env: ENV })): string {
  const s = createStreamRedactor(redactor);
  return chunks.map((c) => s.push(c)).join('') + s.flush();
}

describe('stream redactor', () => {
  const r = createRedactor({ env: ENV });
  const secrets = [...CASES.map(([, s]) => s), 'hunter2-value', 'tok/with.dots+and spaces', 'p@ss(w)rd[1]'];

  it('redacts a secret split across two writes at every split position', () => {
    for (const secret of secrets) {
      const text = `before \x1b[32m${secret}\x1b[0m after`;
      const expected = r.redact(text);
      for (let i = 0; i <= text.length; i++) {
        expect(streamAll([text.slice(0, i), text.slice(i)], r)).toBe(expected);
      }
    }
  });

  it('redacts a secret written one character at a time', () => {
    for (const secret of secrets) {
      const text = `>> ${secret} <<`;
      expect(streamAll([...text], r)).toBe(r.redact(text));
    }
  });

  it('holds back nothing on plain text and little at a partial trigger', () => {
    const s = createStreamRedactor(r);
    expect(s.push('hello world\n')).toBe('hello world\n');
    expect(s.held).toBe(0);
    expect(s.push('text ending in s')).toBe('text ending in ');
    expect(s.held).toBe(1);
    expect(s.push('k-')).toBe('');
    expect(s.push(' nope\n')).toBe('sk- nope\n');
    expect(s.held).toBe(0);
  });

  it('releases a completed token as soon as a terminator arrives', () => {
    const s = createStreamRedactor(r);
    expect(s.push(`key: ${GHP}`)).toBe('key: ');
    expect(s.push('\n')).toBe('[REDACTED:github-token]\n');
    expect(s.held).toBe(0);
  });

  it('bounds its holdback even on an endless token', () => {
    const s = createStreamRedactor(r);
    let out = s.push('sk-ant-');
    for (let i = 0; i < 200; i++) {
      out += s.push('A1b2C3d4E5'.repeat(10));
      expect(s.held).toBeLessThanOrEqual(r.maxHoldback);
    }
    out += s.flush();
    expect(out).toBe(r.redact('sk-ant-' + 'A1b2C3d4E5'.repeat(2000)));
    expect(r.maxHoldback).toBeLessThan(16_384);
  });

  it('property: concatenated stream output equals one-shot redaction of the concatenated input', () => {
    const pieces = fc.constantFrom(
      ...secrets,
      ' ',
      '\n',
      'sk-',
      's',
      'Bearer ',
      'eyJ',
      '.',
      '\x1b[31m',
      '\x1b[0m',
      '\x1b7',
      'task',
      'hunter2',
      'abc',
      'ghp_',
      'AKIA',
      '=',
      '-----BEGIN RSA PRIVATE KEY-----',
      '-----END RSA PRIVATE KEY-----',
      '-----BEGIN ',
      'MIIEpAIBAAKCAQEA',
    );
    fc.assert(
      fc.property(
        fc.array(fc.oneof(pieces, fc.string({ maxLength: 8 })), { maxLength: 30 }),
        fc.array(fc.nat({ max: 400 }), { maxLength: 8 }),
        (parts, cutsRaw) => {
          const text = parts.join('');
          const cuts = [...new Set(cutsRaw.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
          const chunks: string[] = [];
          let prev = 0;
          for (const c of cuts) {
            chunks.push(text.slice(prev, c));
            prev = c;
          }
          chunks.push(text.slice(prev));
          const s = createStreamRedactor(r);
          let out = '';
          for (const c of chunks) {
            out += s.push(c);
            expect(s.held).toBeLessThanOrEqual(r.maxHoldback);
          }
          expect(out + s.flush()).toBe(r.redact(text));
        },
      ),
      { numRuns: 500 },
    );
  });
});

const PEM_RSA = [
  '-----BEGIN RSA PRIVATE KEY-----',
  'MIIEpAIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun',
  'VTLw7onLRnrq0/IzW7yWR7QkrmBL7jTKEn5u+qKhbwKfBstIs+bMY2Zkp18gnTxK',
  'LxoS2tFczGkPLPgizskuemMghRniWaoLcyehkd3qqGElvW/VDL5AaWTg0nLVkjRo',
  '-----END RSA PRIVATE KEY-----',
].join('\n');
const PEM_OPENSSH = ['-----BEGIN OPENSSH PRIVATE KEY-----', 'b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW', '-----END OPENSSH PRIVATE KEY-----'].join('\r\n');
const PEM_ENCRYPTED = ['-----BEGIN RSA PRIVATE KEY-----', 'Proc-Type: 4,ENCRYPTED', 'DEK-Info: AES-128-CBC,3F17F5316E2BAC89', '', 'xcg3ECq4CnpS9yXaRWs9sbyfX+3T', '-----END RSA PRIVATE KEY-----'].join('\n');

describe('redact: PEM private keys', () => {
  it('redacts a whole multi-line block, whatever its type and line endings', () => {
    for (const pem of [PEM_RSA, PEM_OPENSSH, PEM_ENCRYPTED, PEM_RSA.replace(/RSA /g, ''), PEM_RSA.replace(/RSA /g, 'EC ')]) {
      expect(redact(`key:\n${pem}\nafter`)).toBe('key:\n[REDACTED:private-key]\nafter');
    }
  });

  it('redacts the body of a block cut short (no END line)', () => {
    const cut = PEM_RSA.split('\n').slice(0, 3).join('\n');
    const out = redact(`${cut}\n!`);
    expect(out).toBe('[REDACTED:private-key]!');
    expect(out).not.toContain('MIIEpAIB');
  });

  it('leaves public keys and certificates alone', () => {
    const cert = '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIU\n-----END CERTIFICATE-----';
    const pub = '-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYI\n-----END PUBLIC KEY-----';
    expect(redact(cert)).toBe(cert);
    expect(redact(pub)).toBe(pub);
  });

  it('streams: a block split at every position (and line by line) redacts as one-shot does, released at its END line', () => {
    const r = createRedactor();
    const text = `one\n${PEM_RSA}\ntwo -----BEGIN CERTIFICATE----- three`;
    const expected = r.redact(text);
    expect(expected).toBe('one\n[REDACTED:private-key]\ntwo -----BEGIN CERTIFICATE----- three');
    for (let i = 0; i <= text.length; i++) expect(streamAll([text.slice(0, i), text.slice(i)], r)).toBe(expected);
    expect(streamAll(text.split(/(?<=\n)/), r)).toBe(expected);
    const s = createStreamRedactor(r);
    expect(s.push(`x\n${PEM_RSA.slice(0, 200)}`)).toBe('x\n');
    expect(s.push(`${PEM_RSA.slice(200)}\n`)).toBe('[REDACTED:private-key]\n');
    expect(s.held).toBe(0);
  });
});

describe('terminal stream redactor (.cast): sees through escape sequences', () => {
  const r = createRedactor({ env: ENV });
  const split = (secret: string, seq: string, at = 9) => secret.slice(0, at) + seq + secret.slice(at);

  it('redacts a token with a style change, a cursor move or an OSC in the middle, keeping the sequences', () => {
    for (const seq of ['\x1b[1m', '\x1b[0;38;5;208m', '\x1b[C', '\x1b[2;5H', '\x1b7', '\x1b(B', '\x1b]0;title\x07', '\x1b[1m\x1b[22m']) {
      for (const [, secret, replaced] of CASES.filter(([n]) => n !== 'bearer')) {
        const out = redactTerminal(`key=${split(secret, seq)} done`, r);
        expect(out).toBe(`key=${replaced}${seq} done`);
      }
      expect(redactTerminal(`pw ${split('hunter2-value', seq, 4)}\r\n`, r)).toBe(`pw [REDACTED:env:MY_API_KEY]${seq}\r\n`);
    }
  });

  it('leaves text and escapes alone where there is no secret, and still treats an escape before a token as a boundary', () => {
    const plain = '\x1b[32m✓\x1b[0m task-runner \x1b[1mbold\x1b[22m sk-learn\x1b[K\r\n';
    expect(redactTerminal(plain, r)).toBe(plain);
    expect(redactTerminal(`abc\x1b[31m${GHP}\x1b[0m`, r)).toBe('abc\x1b[31m[REDACTED:github-token]\x1b[0m');
  });

  it('redacts the same whatever the chunking, an escape cut in half included', () => {
    const text = `a ${split(ANTHROPIC, '\x1b[1;31m', 20)} b ${split(GHP, '\x1b]8;;http://x\x1b\\', 6)} c ${split(AWS, '\x1b[3D', 4)}\n`;
    const expected = redactTerminal(text, r);
    expect(expected).not.toContain(ANTHROPIC.slice(20, 40));
    expect(expected).not.toContain(GHP.slice(6, 20));
    for (let i = 0; i <= text.length; i++) {
      const s = createTerminalStreamRedactor(r);
      expect(s.push(text.slice(0, i)) + s.push(text.slice(i)) + s.flush()).toBe(expected);
    }
    const s = createTerminalStreamRedactor(r);
    expect([...text].map((c) => s.push(c)).join('') + s.flush()).toBe(expected);
  });

  it('property: chunked output equals one-shot output, and no secret survives with escapes taken out', () => {
    const seqs = ['\x1b[1m', '\x1b[0m', '\x1b[C', '\x1b7', '\x1b]0;t\x07', '\x1b\x1b[K'];
    fc.assert(
      fc.property(
        fc.constantFrom(...CASES.map(([, x]) => x).filter((x) => !x.startsWith('Bearer')), 'hunter2-value'),
        fc.array(fc.tuple(fc.nat({ max: 60 }), fc.constantFrom(...seqs)), { maxLength: 4 }),
        fc.array(fc.nat({ max: 200 }), { maxLength: 6 }),
        (secret, inserts, cutsRaw) => {
          // Sequences go between the secret's chars (from the end, so earlier positions stay valid).
          let text = secret;
          const at = inserts.map(([n, seq]) => [1 + (n % (secret.length - 1)), seq] as const).sort((a, b) => b[0] - a[0]);
          for (const [k, seq] of at) text = text.slice(0, k) + seq + text.slice(k);
          text = `>> ${text} <<`;
          const cuts = [...new Set(cutsRaw.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
          const s = createTerminalStreamRedactor(r);
          let out = '';
          let prev = 0;
          for (const c of [...cuts, text.length]) {
            out += s.push(text.slice(prev, c));
            prev = c;
          }
          out += s.flush();
          expect(out).toBe(redactTerminal(text, r));
          const shown = out.replace(/\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07]*\x07|\x1b[ -/]*[0-~]/g, '');
          expect(shown).not.toContain(secret.slice(-8));
        },
      ),
      { numRuns: 400 },
    );
  });
});
