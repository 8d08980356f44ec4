// The figures as a JSON document, for comparing runs over time. Versioned: a change to the meaning of
// a field bumps schemaVersion, so old files are never misread.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Environment } from './environment.js';
import type { Measurement } from './timing.js';

export interface MicroBenchmarkEntry {
  /** Unique within a run: "<subject> <case>", e.g. "FrameDecoder.push le, 16 B body, 64 KiB chunks". */
  name: string;
  subject: string;
  case: string;
  /** The rate's unit, e.g. "frames/s"; median, min and max are in it. */
  unit: string;
  median: number;
  min: number;
  max: number;
  nsPerOp: number;
  /** Operations in each timed round. */
  ops: number;
  /** Timed rounds (the warm-up round is not counted). */
  rounds: number;
  /** The rate of each timed round, in order. */
  samples: number[];
}

export interface MicroBenchmarkReport {
  kind: 'micro-benchmark';
  schemaVersion: 1;
  environment: Environment;
  settings: { quick: boolean; rounds: number; roundMs: number; filter: string | null };
  durationMs: number;
  measurements: MicroBenchmarkEntry[];
}

export function toEntry(m: Measurement): MicroBenchmarkEntry {
  return {
    name: `${m.group} ${m.name}`,
    subject: m.group,
    case: m.name,
    unit: m.unit,
    median: m.median,
    min: m.min,
    max: m.max,
    nsPerOp: m.nsPerOp,
    ops: m.ops,
    rounds: m.rounds,
    samples: [...m.samples],
  };
}

export function writeReport(file: string, report: MicroBenchmarkReport): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
}
