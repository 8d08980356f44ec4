// Before anything is scheduled, and again after the run: is each target a live server of the
// protocol? The preflight is exit 3 with a message a person can act on (the layout or protocol the
// target does speak, when that is the trouble), not a run full of timeouts; the final probe tells a
// target that died in the grace or logout phase, which no request of the run could see [D-VERDICT].
import { preflightTarget, probe, probeFailure } from '../../client/target-probe.js';
import type { LoadConfig } from '../config/load-config.js';

const probeOptions = (config: LoadConfig) => ({
  protocol: config.scenario === 'ping' ? 'im' as const : config.protocol,
  layout: config.layout,
  timeoutMs: config.timeoutMs,
  maxBodyBytes: config.maxBodyBytes,
});

/** Every target's problem in one sentence, or null when none has one. */
function joined(problems: readonly (string | null)[]): string | null {
  const found = problems.filter((p): p is string => p !== null);
  return found.length > 0 ? found.join('; ') : null;
}

/** Null when every target answered the probe; otherwise what is wrong with each that did not. */
export async function preflight(config: LoadConfig): Promise<string | null> {
  return joined(await Promise.all(config.targets.map((t) => preflightTarget(t, probeOptions(config)))));
}

/** After the run: a new connection and one answered probe per target, or what failed. */
export async function finalProbe(config: LoadConfig): Promise<string | null> {
  const options = probeOptions(config);
  return joined(await Promise.all(config.targets.map(async (t) => {
    const outcome = await probe(t, options);
    return outcome.kind === 'answered' ? null : probeFailure(t, options, outcome);
  })));
}
