// Before anything is scheduled, and again after the run: is each target a live server of the
// protocol? The preflight is exit 3 with a message a person can act on (the layout or protocol the
// target does speak, when that is the trouble), not a run full of timeouts; the final probe tells a
// target that died in the grace or logout phase, which no request of the run could see [D-VERDICT].
// Each answers per target, so the result records which target failed as data [D-RESULT].
import { preflightTarget, probe, probeFailure } from '../../client/target-probe.js';
import type { Endpoint } from '../../client/target.js';
import type { LoadConfig } from '../config/load-config.js';
import type { TargetProblem } from './outcome.js';
import { targetName } from './result.js';

const probeOptions = (config: LoadConfig) => ({
  protocol: config.scenario === 'ping' ? 'im' as const : config.protocol,
  layout: config.layout,
  timeoutMs: config.timeoutMs,
  maxBodyBytes: config.maxBodyBytes,
});

/** The targets' problems, in the order of config.targets; those without one left out. */
async function problems(config: LoadConfig, check: (t: Endpoint) => Promise<string | null>): Promise<TargetProblem[]> {
  const found = await Promise.all(config.targets.map(async (t) => {
    const message = await check(t);
    return message === null ? null : { target: targetName(t), message };
  }));
  return found.filter((p): p is TargetProblem => p !== null);
}

/** Empty when every target answered the probe; otherwise what is wrong with each that did not. */
export function preflight(config: LoadConfig): Promise<TargetProblem[]> {
  return problems(config, (t) => preflightTarget(t, probeOptions(config)));
}

/** After the run: a new connection and one answered probe per target, or what failed. */
export function finalProbe(config: LoadConfig): Promise<TargetProblem[]> {
  const options = probeOptions(config);
  return problems(config, async (t) => {
    const outcome = await probe(t, options);
    return outcome.kind === 'answered' ? null : probeFailure(t, options, outcome);
  });
}
