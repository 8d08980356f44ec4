// How many sockets this machine lets one run open, checked before anything connects. A process may
// hold at most its open-file limit of descriptors (threads share it; processes do not), and one
// source address reaches one target port through at most the ephemeral port range.
import { readFileSync } from 'node:fs';

/** Descriptors a generator process keeps for itself: stdio, event loops of its threads, pipes. */
export const GENERATOR_RESERVED_DESCRIPTORS = 200;

export function ephemeralPorts(): number {
  try {
    const [low, high] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    return high! - low! + 1;
  } catch {
    return 28_232;   // Linux's default range, 32768-60999
  }
}

export interface CapacityInput {
  /** Sockets this shard opens, all processes together. */
  connections: number;
  targets: number;
  sourceAddresses: number;
  /** The per-process open-file limit, or null when unknown. */
  openFiles: number | null;
  /** --processes as given, or null to choose. */
  processes: number | null;
}

/** The number of processes to use, or throws an error naming the limit that makes the run impossible. */
export function planProcesses(input: CapacityInput): { processes: number; reason: string | null } {
  // Without binding, ports are per destination; bound sockets share each address's range whatever
  // the destination (see targets.ts).
  const bound = input.sourceAddresses > 0;
  const needing = bound ? input.connections : Math.ceil(input.connections / input.targets);
  const ports = ephemeralPorts() * Math.max(1, input.sourceAddresses);
  if (needing > ports) {
    throw new Error(`${needing} connections${bound ? '' : ' to one target'} need more source ports than ${Math.max(1, input.sourceAddresses)} source address(es) × ${ephemeralPorts()} ephemeral ports = ${ports}: add --source-addresses${bound ? '' : ' or targets'}`);
  }
  if (input.openFiles === null) return { processes: input.processes ?? 1, reason: null };
  const perProcess = input.openFiles - GENERATOR_RESERVED_DESCRIPTORS;
  if (perProcess < 1) throw new Error(`the open-file limit (${input.openFiles}) leaves no descriptors for connections`);
  const needed = Math.ceil(input.connections / perProcess);
  if (input.processes !== null) {
    if (input.processes < needed) {
      throw new Error(`${input.connections} connections in ${input.processes} process(es) is over the open-file limit of ${input.openFiles} per process (${perProcess} usable): use --processes ${needed} or more`);
    }
    return { processes: input.processes, reason: null };
  }
  return needed > 1
    ? { processes: needed, reason: `${input.connections} connections exceed one process's open-file limit (${input.openFiles}, ${perProcess} usable): running ${needed} generator processes` }
    : { processes: 1, reason: null };
}
