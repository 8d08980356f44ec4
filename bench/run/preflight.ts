// Before anything is scheduled, and again after the run: is each target a live server of the
// protocol? The preflight is exit 3 with a message a person can act on (the layout or protocol the
// target does speak, when that is the trouble), not a run full of timeouts; the final probe tells a
// target that died in the grace or logout phase, which no request of the run could see [D-VERDICT].
import { preflightTarget, probe, type ProbeOutcome } from '../../client/target-probe.js';
import type { LoadConfig } from '../config/load-config.js';

const probeOptions = (config: LoadConfig) => ({
  protocol: config.scenario === 'ping' ? 'im' as const : config.protocol,
  layout: config.layout,
  timeoutMs: config.timeoutMs,
  maxBodyBytes: config.maxBodyBytes,
});

/** Null when every target answered the probe; otherwise what is wrong with each that did not. */
export async function preflight(config: LoadConfig): Promise<string | null> {
  const problems = await Promise.all(config.targets.map((t) => preflightTarget(t, probeOptions(config))));
  const found = problems.filter((p): p is string => p !== null);
  return found.length > 0 ? found.join('; ') : null;
}

/** After the run: a new connection and one answered probe per target, or what failed. */
export async function finalProbe(config: LoadConfig): Promise<string | null> {
  const outcomes = await Promise.all(config.targets.map(async (t) => ({ t, outcome: await probe(t, probeOptions(config)) })));
  const failed = outcomes.filter(({ outcome }) => outcome.kind !== 'answered');
  if (failed.length === 0) return null;
  return failed.map(({ t, outcome }) => `${t.host}:${t.port} ${whatFailed(outcome, config.timeoutMs)}`).join('; ');
}

function whatFailed(outcome: ProbeOutcome, timeoutMs: number): string {
  switch (outcome.kind) {
    case 'answered': return 'answered';
    case 'refused': return outcome.detail;
    case 'silent': return `did not answer the probe within ${timeoutMs} ms`;
    case 'closed': return 'closed the probe connection without answering';
    case 'garbage': return `answered the probe with bytes that are not a reply (${outcome.detail})`;
  }
}
