// Before any check, and after the risky ones: is the target a live server of the protocol asked for?
// The probe is the one of [D-CONFORM] (client/target-probe.ts): for IM a LoginRequest of a user that
// does not exist, for CHAT/1.0 a LOGIN and a SEND to oneself; after silence the preflight names the
// layout or protocol that does answer. It also times the probe, so each wait is several round trips
// at least: a slow link or a loaded machine gives TIMEOUT only for real silence. (The probes
// themselves wait at least 2 s whatever --timeout says: a probe that gives up early calls a live
// server dead.)
import { performance } from 'node:perf_hooks';
import { preflightTarget, probe, probeFailure, type ProbeOptions } from '../../client/target-probe.js';
import type { Endpoint } from '../../client/target.js';

export interface PreflightOutcome {
  /** Why the target is unusable (exit 3), or null. */
  problem: string | null;
  /** Median of the timed probes, ms. */
  roundTripMs: number | null;
  /** The shortest wait per expected frame or line the link allows: ten of the slowest probes. */
  minimumWaitMs: number;
}

const TIMED_PROBES = 5;
/** How many round trips a wait lasts at least. */
const ROUND_TRIPS_PER_WAIT = 10;

export async function preflight(target: Endpoint, options: ProbeOptions): Promise<PreflightOutcome> {
  const problem = await preflightTarget(target, options);
  if (problem !== null) return { problem, roundTripMs: null, minimumWaitMs: 0 };
  const times: number[] = [];
  for (let i = 0; i < TIMED_PROBES; i++) {
    const start = performance.now();
    const outcome = await probe(target, options);
    if (outcome.kind !== 'answered') return { problem: probeFailure(target, options, outcome), roundTripMs: null, minimumWaitMs: 0 };
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return {
    problem: null,
    roundTripMs: Math.round(times[Math.floor(times.length / 2)]! * 1000) / 1000,
    minimumWaitMs: Math.ceil(times.at(-1)! * ROUND_TRIPS_PER_WAIT),
  };
}

/**
 * The liveness probe after a check: null while the target answers on a fresh connection. One retry
 * after a pause, so a moment of load is not taken for a dead server.
 */
export async function liveness(target: Endpoint, options: ProbeOptions): Promise<string | null> {
  let outcome = await probe(target, options);
  if (outcome.kind === 'answered') return null;
  await new Promise((resolve) => setTimeout(resolve, 250));
  outcome = await probe(target, options);
  return outcome.kind === 'answered' ? null : probeFailure(target, options, outcome);
}
