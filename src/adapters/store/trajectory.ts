// trace/<exec>/trajectories/<unit>.jsonl (one typed event log per session) and trace/<exec>/manifest.json.
import { existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Redactor } from '../../core/redact';
import { readJson, writeJsonAtomic } from './atomic';
import { readJsonlLog, repairTail, type EventLogContents } from './event-log';
import { JsonlAppender, type AppenderOptions } from './jsonl-appender';
import { storeRedactor } from './redaction';

/** One trajectory line: `seq` and `ts` are stamped by the writer when missing. */
export interface TrajectoryEventInput {
  type: string;
  ts?: number;
  [key: string]: unknown;
}

export interface TrajectoryLine {
  seq: number;
  ts: number;
  unit: string;
  session?: string;
  type: string;
  [key: string]: unknown;
}

export interface TrajectoryOptions extends AppenderOptions {
  unit: string;
  session?: string;
  redactor?: Redactor;
  now?: () => number;
}

export class TrajectoryWriter {
  private seq = 0;
  private readonly appender: JsonlAppender;
  private readonly redactor: Redactor;
  private readonly now: () => number;

  private constructor(
    readonly path: string,
    private readonly opts: TrajectoryOptions,
  ) {
    mkdirSync(dirname(path), { recursive: true });
    this.appender = new JsonlAppender(openSync(path, 'a'), opts);
    this.redactor = opts.redactor ?? storeRedactor();
    this.now = opts.now ?? Date.now;
  }

  /** Opens (appending to) the trajectory file; a retried session starts its seq after what is there. */
  static open(path: string, opts: TrajectoryOptions): TrajectoryWriter {
    let lastSeq = 0;
    if (existsSync(path)) {
      const contents = readJsonlLog(path);
      repairTail(path, contents);
      lastSeq = contents.events.at(-1)?.seq ?? 0;
    }
    const w = new TrajectoryWriter(path, opts);
    w.seq = lastSeq;
    return w;
  }

  append(event: TrajectoryEventInput, opts: { sync?: boolean } = {}): TrajectoryLine {
    const { type, ts, ...rest } = event;
    const line: TrajectoryLine = { seq: ++this.seq, ts: ts ?? this.now(), unit: this.opts.unit, type, ...rest };
    if (this.opts.session !== undefined && line.session === undefined) line.session = this.opts.session;
    this.appender.write(JSON.stringify(this.redactor.redactValue(line)), opts.sync === true);
    return line;
  }

  flush(): void {
    this.appender.flush(false);
  }

  close(): void {
    this.appender.close();
  }
}

/** Reads a trajectory (a torn last line is reported, as for the event log). */
export function readTrajectory(path: string): EventLogContents {
  return readJsonlLog(path);
}

export interface ManifestUnit {
  kind: 'step' | 'trial';
  /** Paths are stored as given; relative to the trace root is the convention. */
  trajectory: string;
  status: string;
  session?: string;
  transcript?: string;
  cast?: string;
}

export interface Manifest {
  exec: string;
  units: Record<string, ManifestUnit>;
}

export function writeManifest(path: string, manifest: Manifest, opts: { redactor?: Redactor } = {}): void {
  writeJsonAtomic(path, manifest, opts);
}

export function readManifest(path: string): Manifest {
  return readJson<Manifest>(path);
}
