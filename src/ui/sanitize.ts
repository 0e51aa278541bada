// Makes agent-supplied text safe to draw: escape sequences (OSC, CSI, DCS…) removed whole, then every
// remaining C0/C1 control character and ESC dropped, so nothing an agent prints reaches the host
// terminal as a sequence.

// eslint-disable-next-line no-control-regex
const SEQUENCES = /\x1b\][\s\S]*?(?:\x07|\x1b\\|$)|\x1b[P_^X][\s\S]*?(?:\x1b\\|$)|\x1b\[[0-?]*[ -/]*[@-~]?|\x1b[\s\S]?|\x9b[0-?]*[ -/]*[@-~]?|\x9d[\s\S]*?(?:\x07|\x9c|$)/g;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

export const sanitize = (text: string): string => text.replace(SEQUENCES, '').replace(CONTROL, '');

/** One-line plain text for titles, commands and labels: controls become spaces, runs collapse. */
export const plainLine = (text: string): string =>
  text.replace(SEQUENCES, '').replace(CONTROL, ' ').replace(/ {2,}/g, ' ').trim();
