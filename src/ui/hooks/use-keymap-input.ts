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

export function useKeymapInput(route: KeyRoute): void {
  const { internal_eventEmitter: events, setRawMode, isRawModeSupported } = useStdin();
  const latest = useRef(route);
  latest.current = route;
  const paste = useRef<string | undefined>(undefined);

  useLayoutEffect(() => {
    if (isRawModeSupported) setRawMode(true);
    return () => {
      if (isRawModeSupported) setRawMode(false);
    };
  }, [isRawModeSupported, setRawMode]);

  useLayoutEffect(() => {
    const onInput = (seq: string) => {
      if (paste.current !== undefined) {
        const end = seq.indexOf(PASTE_END);
        if (end < 0) {
          paste.current += seq;
          return;
        }
        const text = paste.current + seq.slice(0, end);
        paste.current = undefined;
        latest.current.onPaste(text);
        return;
      }
      if (seq === PASTE_START) {
        paste.current = '';
        return;
      }
      routeInput(seq, () => latest.current);
    };
    events.on('input', onInput);
    return () => {
      events.off('input', onInput);
    };
  }, [events]);
}
