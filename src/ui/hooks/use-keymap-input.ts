// Routes every key from the host terminal: an open overlay first, then the focused scope's keymap,
// then (input mode) the agent's PTY as the exact bytes received. Reads Ink's tokenized raw input
// events instead of useInput, which drops the bytes a PTY needs.
import { useStdin } from 'ink';
import { useLayoutEffect, useRef } from 'react';
import { PASTE_END, PASTE_START, decodeKey } from '../key-decode';
import type { Keymap, Scope } from '../keymap';
import { lookup } from '../keymap';

export interface KeyRoute {
  /** The scope now: read at each key, since one input event may hold several keys that change it. */
  scope(): Scope;
  table: Keymap;
  onCommand(command: string): void;
  /** Unbound bytes in input mode: forward to the PTY. */
  onForward(data: string): void;
  /** Printable text or backspace for a prompt (search). */
  onText(text: string, key: string | undefined): void;
  /** A bracketed paste from the host, markers removed. */
  onPaste(text: string): void;
}

// eslint-disable-next-line no-control-regex
const TOKENS = /\x1b[\s\S]*|[\x00-\x1f\x7f]|[^\x00-\x1f\x7f]/g;

/** Splits one input event into keys: escape sequences stay whole, other characters one by one. */
export const tokens = (seq: string): string[] => (seq.startsWith('\x1b') ? [seq] : (seq.match(TOKENS) ?? []));

export function routeInput(seq: string, route: () => KeyRoute): void {
  let pending = '';
  const flush = () => {
    if (pending) route().onForward(pending);
    pending = '';
  };
  for (const token of tokens(seq)) {
    const r = route();
    const key = decodeKey(token);
    const scope = r.scope();
    const command = key === undefined ? undefined : lookup(r.table, scope, key);
    if (command) {
      flush();
      r.onCommand(command);
    } else if (scope === 'input') pending += token;
    else if (scope === 'search') r.onText(token, key);
  }
  flush();
}

/**
 * Splits the host's input events into keys and pastes. A bracketed paste (ESC[200~ … ESC[201~) is one
 * paste. Whatever arrives in the same input burst right after a paste ends (the same stdin read: events
 * emitted before the next setImmediate) belongs to that paste too, never to the keymap: pasted text
 * holding `ESC[201~y` ends the paste early in the host terminal, and its `y` must not answer a prompt.
 */
export class InputSplitter {
  /** Text of the paste being collected, inside the markers or in the burst after them. */
  private text: string | undefined;
  private inside = false;
  private timer: ReturnType<typeof setImmediate> | undefined;

  constructor(
    private readonly onKeys: (seq: string) => void,
    private readonly onPaste: (text: string) => void,
  ) {}

  push(seq: string): void {
    let rest = seq;
    while (rest) {
      if (this.inside) {
        const end = rest.indexOf(PASTE_END);
        if (end < 0) {
          this.text += rest;
          return;
        }
        this.text += rest.slice(0, end);
        this.inside = false;
        rest = rest.slice(end + PASTE_END.length);
        this.schedule();
        continue;
      }
      const start = rest.indexOf(PASTE_START);
      if (this.text !== undefined) {
        // Right after a paste ended, in the same burst: still pasted text (a stray end marker is dropped).
        this.text += (start < 0 ? rest : rest.slice(0, start)).split(PASTE_END).join('');
        if (start < 0) return;
      } else if (start < 0) {
        this.onKeys(rest);
        return;
      } else {
        if (start > 0) this.onKeys(rest.slice(0, start));
        this.text = '';
      }
      this.inside = true;
      rest = rest.slice(start + PASTE_START.length);
    }
  }

  private schedule(): void {
    if (this.timer) clearImmediate(this.timer);
    this.timer = setImmediate(() => {
      this.timer = undefined;
      if (this.inside || this.text === undefined) return;
      const text = this.text;
      this.text = undefined;
      this.onPaste(text);
    });
  }

  dispose(): void {
    if (this.timer) clearImmediate(this.timer);
    this.timer = undefined;
  }
}

export function useKeymapInput(route: KeyRoute): void {
  const { internal_eventEmitter: events, setRawMode, isRawModeSupported } = useStdin();
  const latest = useRef(route);
  latest.current = route;

  useLayoutEffect(() => {
    if (isRawModeSupported) setRawMode(true);
    return () => {
      if (isRawModeSupported) setRawMode(false);
    };
  }, [isRawModeSupported, setRawMode]);

  useLayoutEffect(() => {
    const splitter = new InputSplitter(
      (seq) => routeInput(seq, () => latest.current),
      (text) => latest.current.onPaste(text),
    );
    const onInput = (seq: string) => splitter.push(seq);
    events.on('input', onInput);
    return () => {
      events.off('input', onInput);
      splitter.dispose();
    };
  }, [events]);
}
