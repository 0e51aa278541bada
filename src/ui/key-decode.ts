// Raw input sequences from the host terminal (as Ink's input parser splits them) to key names in
// the keymap's canonical form. Unknown sequences decode to undefined and are only ever forwarded.

const CSI_FINAL: Record<string, string> = { A: 'up', B: 'down', C: 'right', D: 'left', H: 'home', F: 'end', P: 'f1', Q: 'f2', R: 'f3', S: 'f4' };
const TILDE: Record<string, string> = {
  '1': 'home', '2': 'insert', '3': 'delete', '4': 'end', '5': 'pageup', '6': 'pagedown', '7': 'home', '8': 'end',
  '11': 'f1', '12': 'f2', '13': 'f3', '14': 'f4', '15': 'f5', '17': 'f6', '18': 'f7', '19': 'f8', '20': 'f9', '21': 'f10', '23': 'f11', '24': 'f12',
};

const modifierPrefix = (param: string | undefined): string => {
  const n = Number(param ?? '1') - 1;
  if (!Number.isInteger(n) || n <= 0) return '';
  return `${n & 4 ? 'ctrl+' : ''}${n & 2 ? 'alt+' : ''}${n & 1 ? 'shift+' : ''}`;
};

export const PASTE_START = '\x1b[200~';
export const PASTE_END = '\x1b[201~';

/** The key name of one input event, e.g. `\x1b[A` → `up`, `\x1d` → `ctrl+]`, `q` → `q`. */
export function decodeKey(seq: string): string | undefined {
  if (seq.length === 0) return undefined;
  if (seq === '\r' || seq === '\n') return 'enter';
  if (seq === '\t') return 'tab';
  if (seq === '\x7f' || seq === '\x1b\x7f') return seq.length === 1 ? 'backspace' : 'alt+backspace';
  if (seq === '\x1b' || seq === '\x1b\x1b') return 'esc';
  if (seq === ' ') return 'space';
  if (seq === '\x00') return 'ctrl+space';
  const code = seq.charCodeAt(0);
  if (seq.length === 1 && code < 0x20) {
    if (code <= 0x1a) return `ctrl+${String.fromCharCode(code + 96)}`;
    return `ctrl+${'[\\]^_'[code - 0x1b]}`;
  }
  if (seq === '\x1b[Z') return 'shift+tab';
  let m = /^\x1b{1,2}\[(?:1;(\d+))?([A-DHFPQRS])$/.exec(seq);
  if (m) return (seq.startsWith('\x1b\x1b') ? 'alt+' : '') + modifierPrefix(m[1]) + CSI_FINAL[m[2]];
  m = /^\x1bO([A-DHFPQRS])$/.exec(seq);
  if (m) return CSI_FINAL[m[1]];
  m = /^\x1b{1,2}\[(\d+)(?:;(\d+))?~$/.exec(seq);
  if (m && TILDE[m[1]]) return (seq.startsWith('\x1b\x1b') ? 'alt+' : '') + modifierPrefix(m[2]) + TILDE[m[1]];
  if (seq.startsWith('\x1b')) {
    const rest = seq.slice(1);
    if ([...rest].length === 1) {
      const inner = decodeKey(rest);
      return inner === undefined ? undefined : `alt+${inner}`;
    }
    return undefined;
  }
  if ([...seq].length === 1) return seq;
  return undefined;
}

/** Splits a run of plain text (typed fast or pasted without brackets) into single keys. */
export function splitPlain(seq: string): string[] {
  if (seq.includes('\x1b') || [...seq].length <= 1) return [seq];
  return [...seq];
}
