// Transcripts of sessions that never closed their recording (conductor was killed): execution.json links to a .md
// that was never written. On resume each one is written from the session's .cast, played back through a headless
// terminal into the same screen history a live session keeps, with a note that it was rebuilt.
import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import { replayOutput } from '../adapters/pty/replay';
import { readCast } from '../adapters/store/cast-writer';
import { ScreenHistory } from '../adapters/store/screen-history';
import { writeTranscript, type TranscriptApproval, type TranscriptHeader } from '../adapters/store/transcript-writer';
import type { ConductorEvent } from '../core/events';
import { replay } from '../core/machine';
import type { ExecState } from '../core/state';
import type { ExecPaths } from './recorder';

/** Writes `transcript` from the recording `cast`. Returns false when the recording cannot be read at all. */
export async function transcriptFromCast(cast: string, transcript: string, header: Omit<TranscriptHeader, 'start' | 'end'>): Promise<boolean> {
  let file;
  try {
    file = readCast(cast);
  } catch {
    return false;
  }
  const startMs = file.header.timestamp * 1000;
  const history = new ScreenHistory({ origin: startMs });
  const played = await replayOutput(file.events, { cols: file.header.width, rows: file.header.height, startMs }, (ts, text, alternate) => history.frame(ts, text, alternate));
  history.finish(played.endMs);
  const torn = file.torn ? ` Its last line was cut short and was left out.` : '';
  writeTranscript(transcript, {
    header: {
      ...header,
      start: startMs,
      end: played.endMs,
      note:
        header.note ??
        `Rebuilt from the recording ${basename(cast)} after conductor was interrupted: the session never finished writing this transcript.${torn}`,
    },
    text: history.render(played.normalText),
  });
  return true;
}

function approvalsOf(state: ExecState, session: string): TranscriptApproval[] {
  return Object.values(state.approvals)
    .filter((a) => a.session === session)
    .map((a) => ({
      command: a.command,
      decision: a.decision ?? (a.status === 'withdrawn' || a.status === 'abandoned' ? a.status : 'none'),
      by: a.by ?? 'nobody',
    }));
}

/**
 * For every session in the log that has a recording but no transcript, writes the transcript from the recording.
 * Returns the transcripts written.
 */
export async function rebuildMissingTranscripts(events: readonly ConductorEvent[], paths: ExecPaths): Promise<string[]> {
  const state = replay(events);
  if (!state) return [];
  const written: string[] = [];
  for (const s of Object.values(state.sessions)) {
    const files = paths.sessionFiles(s.unit, s.agent, s.attempt);
    if (!existsSync(files.cast) || existsSync(files.transcript)) continue;
    const ok = await transcriptFromCast(files.cast, files.transcript, {
      exec: state.exec,
      step: s.unit,
      kind: state.units[s.unit]?.kind,
      role: s.agent,
      provider: s.provider,
      exitCode: s.exitCode ?? null,
      status: s.state === 'running' || s.state === 'waiting_for_approval' || s.state === 'paused' || s.state === 'starting' ? 'interrupted' : s.state,
      approvals: approvalsOf(state, s.id),
    });
    if (ok) written.push(files.transcript);
  }
  return written;
}
