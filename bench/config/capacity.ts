// Whether this machine can hold a run, checked before anything is spawned or connects [D-CAPACITY].
// A run that passes a limit is refused naming the limit and how many users fit, instead of starting
// hundreds of processes that thrash the machine and die part-way. The checks are pure: they take the
// machine's facts (readMachineFacts reads them from /proc and os) so tests can give any machine.
import { UsageError } from '../../util/errors.js';
import { readFileSync } from 'node:fs';
import { availableParallelism, freemem } from 'node:os';
import { openFileLimit } from '../../util/open-file-limit.js';
import { HTTP_SOCKETS_PER_WORKER } from '../engine/http-downloads.js';
import { groupCount, groupSlice, usersOfGroups } from '../model/population.js';
import type { LoadConfig } from './load-config.js';

/** Descriptors a generator process keeps for itself: stdio, IPC, event loops of its threads, pipes. */
export const GENERATOR_RESERVED_DESCRIPTORS = 200;

/**
 * Local generator processes per core. Each is a Node runtime with its own event loop and worker
 * threads; past a few per core they only take turns on the cores, their timers run late and the run
 * is judged overloaded [D-OVERLOAD] at best (253 processes on 2 cores: load average 135, a crash, and
 * orphans). A generator mostly waits on sockets, so a few per core still keep their schedule; more
 * users than that belong on more machines (--shard).
 */
export const PROCESSES_PER_CORE = 4;

/*
 * The generator's memory, measured 2026-12-01 on this machine (2 cores, 24 GiB, Node 20.20) with the
 * code of commit ec19e35, IM users scenario (the default), against the reference server
 *   npx talkbench serve --memory --scrypt-cost 1024 --im-port 0 --chat-port 0 --http-port 0 --log-level warn
 * by
 *   talkbench load --target 127.0.0.1:PORT --users N --processes 1 --workers W --ramp-up R --duration 10s --out F --quiet
 * reading the result's generator.peakRssBytes (one process, its worker threads included):
 *   W=2: N=1,000 (R=10s) 196 and 202 MiB; N=5,000 (R=30s) 268 and 252 MiB; N=15,000 (R=90s) 367 MiB
 *   N=1,000: W=1 175 MiB, W=2 196 MiB, W=4 255 MiB
 * Per user 11.0 KiB (5,000 to 15,000) to 15.5 KiB (1,000 to 5,000); per worker thread 22 to 29 MiB;
 * what is left, the process itself, about 135 MiB. The figures below are 1.5 times the largest of
 * each, rounded up: V8 grows its heaps in steps, and other scenarios and sizes were not measured
 * (ping holds less per connection; uploads hold their buffers for a moment).
 */
export const MEMORY_PER_USER_BYTES = 24 * 1024;
export const MEMORY_PER_WORKER_BYTES = 45 * 2 ** 20;
export const MEMORY_PER_PROCESS_BYTES = 210 * 2 ** 20;

/** fs.file-max is shared by the whole machine: leave this share of it to everything else. */
export const SYSTEM_FILES_HEADROOM = 0.05;

/** What the checks need to know of the machine. */
export interface MachineFacts {
  cores: number;
  /** Memory the run may take: MemAvailable, or the cgroup's limit when lower. */
  availableMemoryBytes: number;
  /** RLIMIT_NOFILE per process (threads share it, processes do not); null when unknown. */
  openFilesPerProcess: number | null;
  /** fs.file-max and the files allocated now (the first field of fs.file-nr); null when unknown. */
  systemFiles: { max: number; allocated: number } | null;
  /** The ephemeral port range (net.ipv4.ip_local_port_range), per source address. */
  ephemeralPorts: { low: number; high: number };
}

/** What the run asks for. */
export interface RunDemand {
  /** Sockets this shard opens: one per user (ping: per connection). */
  users: number;
  /** Processes and workers get whole friend groups of this many users (ping: 1). */
  groupSize: number;
  targets: number;
  /** Every target is on this machine (loopback): the server's end of each connection is a file here too. */
  loopbackTargets: boolean;
  /** Addresses sockets are bound to before connecting; 0: not bound. */
  sourceAddresses: number;
  /** Worker threads in all (--workers, or one per core). */
  workers: number;
  /** The run uploads files, so each worker keeps an HTTP socket pool. */
  uploads: boolean;
  /** --processes as given, or null to choose. */
  processes: number | null;
}

export type CapacityLimit = 'memory' | 'processes' | 'open-files-per-process' | 'system-files' | 'source-ports';

export interface Refusal {
  limit: CapacityLimit;
  /** The most users that pass this limit with the run's other settings. */
  usersFit: number;
  /** One line naming the limit, what the run needs, and how many users fit. */
  message: string;
}

/** A run this machine cannot hold: a usage error (exit 2) whose message names every limit passed. */
export class CapacityError extends UsageError {
  readonly limits: CapacityLimit[];

  constructor(readonly users: number, readonly refusals: readonly Refusal[], readonly usersFit: number) {
    super([
      `refused before starting: this machine cannot hold ${users} users [D-CAPACITY]; at most ${usersFit} fit with these settings:`,
      ...refusals.map((r) => `  - ${r.message}`),
    ].join('\n'), 'CAPACITY');
    this.limits = refusals.map((r) => r.limit);
  }
}

export interface CapacityPlan {
  processes: number;
  /** Said on stderr when the processes were chosen rather than given. */
  reason: string | null;
}

/** Worker threads of each generator process (processes.ts splits --workers this way). */
export function workersPerProcess(workers: number, processes: number): number {
  return processes > 1 ? Math.max(1, Math.floor(workers / processes)) : workers;
}

export function processBound(facts: Pick<MachineFacts, 'cores'>): number {
  return PROCESSES_PER_CORE * Math.max(1, facts.cores);
}

/** The run's processes, or a CapacityError naming every limit it passes. */
export function planCapacity(demand: RunDemand, facts: MachineFacts): CapacityPlan {
  const refusals = [memoryRefusal, processRefusal, descriptorRefusal, systemFilesRefusal, portRefusal]
    .map((check) => check(demand, facts))
    .filter((r): r is Refusal => r !== null);
  if (refusals.length > 0) throw new CapacityError(demand.users, refusals, largestFitting((u) => fitsEverything(demand, facts, u), demand.users));
  const processes = processesFor(demand, facts, demand.users);
  const reason = demand.processes === null && processes > 1
    ? `${demand.users} connections exceed one process's open-file limit (${facts.openFilesPerProcess}, ${usablePerProcess(facts)} usable): running ${processes} generator processes`
    : null;
  return { processes, reason };
}

// ---- the model: what a run of `users` users needs -------------------------------------------------

/**
 * Sockets of the busiest process, as the run splits them (population.ts): processes get whole friend
 * groups, the first ones one group more when they do not divide evenly, and a last group of one joins
 * the group before it, so the last process's last group may hold groupSize + 1. The busiest is the
 * first process or the last: adding that one user to the first, whose groups are all whole, counted a
 * process too many (86,746 users refused where 86,747 fitted: found by the "at most that many fit"
 * property, seed -1106930521).
 */
function usersPerProcess(users: number, groupSize: number, processes: number): number {
  const groups = groupCount(users, groupSize);
  const size = (index: number): number => {
    const members = usersOfGroups(groupSlice(groups, processes, index), users, groupSize);
    return members.end - members.first;
  };
  return Math.max(size(0), size(Math.max(0, Math.min(processes, groups) - 1)));
}

function httpSockets(demand: RunDemand, processes: number): number {
  return demand.uploads ? workersPerProcess(demand.workers, processes) * HTTP_SOCKETS_PER_WORKER : 0;
}

function descriptorsPerProcess(demand: RunDemand, users: number, processes: number): number {
  return usersPerProcess(users, demand.groupSize, processes) + GENERATOR_RESERVED_DESCRIPTORS + httpSockets(demand, processes);
}

function usablePerProcess(facts: MachineFacts): number {
  return (facts.openFilesPerProcess ?? 0) - GENERATOR_RESERVED_DESCRIPTORS;
}

/** The fewest processes whose busiest stays under the open-file limit; Infinity when none can. */
function processesNeeded(demand: RunDemand, facts: MachineFacts, users: number): number {
  const limit = facts.openFilesPerProcess;
  if (limit === null || users === 0) return 1;
  const most = Math.max(1, groupCount(users, demand.groupSize));
  if (descriptorsPerProcess(demand, users, most) > limit) return Infinity;
  return smallestFitting((p) => descriptorsPerProcess(demand, users, p) <= limit, 1, most);
}

function processesFor(demand: RunDemand, facts: MachineFacts, users: number): number {
  return demand.processes ?? processesNeeded(demand, facts, users);
}

function memoryNeeded(demand: RunDemand, facts: MachineFacts, users: number): number {
  // Beyond the bound the run is refused anyway: its memory is counted as if it stopped there.
  const processes = Math.min(processesFor(demand, facts, users), processBound(facts));
  const parent = processes > 1 ? MEMORY_PER_PROCESS_BYTES : 0;
  // Threads counted as max(--workers, processes), never fewer than run: the split of --workers over
  // processes rounds down (35 over 6 runs 30), and an estimate that fell as users grew would break
  // the search for how many users fit, which needs it to grow with users.
  const threads = Math.max(demand.workers, processes);
  return parent + processes * MEMORY_PER_PROCESS_BYTES + threads * MEMORY_PER_WORKER_BYTES + users * MEMORY_PER_USER_BYTES;
}

function filesPerUser(demand: RunDemand): number {
  return demand.loopbackTargets ? 2 : 1;
}

function systemFilesNeeded(demand: RunDemand, facts: MachineFacts, users: number): number {
  const processes = Math.min(processesFor(demand, facts, users), processBound(facts));
  return users * filesPerUser(demand) + processes * (GENERATOR_RESERVED_DESCRIPTORS + httpSockets(demand, processes));
}

function systemFilesFree(files: { max: number; allocated: number }): number {
  return Math.max(0, files.max - files.allocated - Math.ceil(files.max * SYSTEM_FILES_HEADROOM));
}

function portCount(facts: MachineFacts): number {
  return facts.ephemeralPorts.high - facts.ephemeralPorts.low + 1;
}

/**
 * Sockets bound to a source address share its whole ephemeral range whatever the destination;
 * unbound ones get a port per destination (see targets.ts).
 */
function portsFit(demand: RunDemand, facts: MachineFacts): number {
  return portCount(facts) * (demand.sourceAddresses > 0 ? demand.sourceAddresses : demand.targets);
}

function fitsEverything(demand: RunDemand, facts: MachineFacts, users: number): boolean {
  const processes = processesFor(demand, facts, users);
  return processes <= processBound(facts)
    && memoryNeeded(demand, facts, users) <= facts.availableMemoryBytes
    && (facts.openFilesPerProcess === null || descriptorsPerProcess(demand, users, processes) <= facts.openFilesPerProcess)
    && (facts.systemFiles === null || systemFilesNeeded(demand, facts, users) <= systemFilesFree(facts.systemFiles))
    && users <= portsFit(demand, facts);
}

// ---- one check per limit: null when the run passes it ---------------------------------------------

function memoryRefusal(demand: RunDemand, facts: MachineFacts): Refusal | null {
  const need = memoryNeeded(demand, facts, demand.users);
  if (need <= facts.availableMemoryBytes) return null;
  const usersFit = largestFitting((u) => memoryNeeded(demand, facts, u) <= facts.availableMemoryBytes, demand.users);
  return {
    limit: 'memory',
    usersFit,
    message: `memory: ${demand.users} users need about ${gib(need)} (measured: ${MEMORY_PER_USER_BYTES / 1024} KiB per user, ${mib(MEMORY_PER_PROCESS_BYTES)} per generator process, ${mib(MEMORY_PER_WORKER_BYTES)} per worker thread), and ${gib(facts.availableMemoryBytes)} is available: ${usersFit} users fit`,
  };
}

function processRefusal(demand: RunDemand, facts: MachineFacts): Refusal | null {
  const bound = processBound(facts);
  const processes = processesFor(demand, facts, demand.users);
  if (processes <= bound) return null;
  const usersFit = largestFitting((u) => processesNeeded(demand, facts, u) <= bound, demand.users);
  const why = `the bound of ${bound} generator processes on this machine (${PROCESSES_PER_CORE} per core × ${facts.cores} cores)`;
  const message = demand.processes !== null
    ? `generator processes: --processes ${demand.processes} is over ${why}: ${usersFit} users fit in ${bound} or fewer; give fewer, or run slices on other machines with --shard i/N`
    : processes === Infinity
      ? `generator processes: the open-file limit (${facts.openFilesPerProcess}) leaves no process room for a friend group of ${demand.groupSize} sockets: ${usersFit} users fit; raise ulimit -n`
      : `generator processes: ${demand.users} users need ${processes} processes of at most ${usablePerProcess(facts)} sockets each (open-file limit ${facts.openFilesPerProcess}), over ${why}: ${usersFit} users fit; run slices on other machines with --shard i/N`;
  return { limit: 'processes', usersFit, message };
}

/** Only with --processes given: chosen processes always fit (or processRefusal says why not). */
function descriptorRefusal(demand: RunDemand, facts: MachineFacts): Refusal | null {
  const limit = facts.openFilesPerProcess;
  const processes = demand.processes;
  if (limit === null || processes === null) return null;
  const need = descriptorsPerProcess(demand, demand.users, processes);
  if (need <= limit) return null;
  const usersFit = largestFitting((u) => descriptorsPerProcess(demand, u, processes) <= limit, demand.users);
  const needed = processesNeeded(demand, facts, demand.users);
  const advice = needed <= processBound(facts) ? `use --processes ${needed} or more` : `run slices on other machines with --shard i/N`;
  const http = demand.uploads ? `, ${httpSockets(demand, processes)} for HTTP` : '';
  return {
    limit: 'open-files-per-process',
    usersFit,
    message: `open files per process: ${demand.users} users in ${processes} process(es) need ${need} descriptors in the busiest, over the open-file limit of ${limit} (${GENERATOR_RESERVED_DESCRIPTORS} kept for the process itself${http}): ${usersFit} users fit; ${advice}`,
  };
}

function systemFilesRefusal(demand: RunDemand, facts: MachineFacts): Refusal | null {
  const files = facts.systemFiles;
  if (files === null) return null;
  const need = systemFilesNeeded(demand, facts, demand.users);
  const free = systemFilesFree(files);
  if (need <= free) return null;
  const usersFit = largestFitting((u) => systemFilesNeeded(demand, facts, u) <= free, demand.users);
  const per = demand.loopbackTargets ? 'two per connection: the target is on this machine' : 'one per connection';
  return {
    limit: 'system-files',
    usersFit,
    message: `system-wide open files: ${demand.users} users need ${need} files (${per}), and fs.file-max ${files.max} leaves ${free} (${files.allocated} in use, ${SYSTEM_FILES_HEADROOM * 100}% kept for the rest of the system): ${usersFit} users fit`,
  };
}

function portRefusal(demand: RunDemand, facts: MachineFacts): Refusal | null {
  const usersFit = portsFit(demand, facts);
  if (demand.users <= usersFit) return null;
  const { low, high } = facts.ephemeralPorts;
  const message = demand.sourceAddresses > 0
    ? `source ports: ${demand.users} connections need more ports than ${demand.sourceAddresses} source address(es) × ${portCount(facts)} ephemeral ports (${low}-${high}): ${usersFit} users fit; add --source-addresses`
    : `source ports: ${Math.ceil(demand.users / demand.targets)} connections to one target need more than its ${portCount(facts)} ephemeral ports (${low}-${high}): ${usersFit} users fit; add --source-addresses or targets`;
  return { limit: 'source-ports', usersFit, message };
}

// ---- searching and printing -----------------------------------------------------------------------

/** The largest n in [0, upTo] with fits(n), for fits true up to some n and false after. */
export function largestFitting(fits: (n: number) => boolean, upTo: number): number {
  if (fits(upTo)) return upTo;
  let low = 0;       // fits, or 0
  let high = upTo;   // does not fit
  while (high - low > 1) {
    const mid = Math.floor((low + high) / 2);
    if (fits(mid)) low = mid; else high = mid;
  }
  return low;
}

/** The smallest n in [from, to] with fits(n), for fits false up to some n and true after; fits(to) holds. */
function smallestFitting(fits: (n: number) => boolean, from: number, to: number): number {
  let low = from;
  let high = to;
  while (low < high) {
    const mid = Math.floor((low + high) / 2);
    if (fits(mid)) high = mid; else low = mid + 1;
  }
  return low;
}

const gib = (bytes: number): string => `${(bytes / 2 ** 30).toFixed(1)} GiB`;
const mib = (bytes: number): string => `${Math.round(bytes / 2 ** 20)} MiB`;

// ---- this machine ---------------------------------------------------------------------------------

/** This machine's facts, from /proc and os; a fact that cannot be read is unknown or a safe default. */
export function readMachineFacts(): MachineFacts {
  return {
    cores: availableParallelism(),
    availableMemoryBytes: availableMemory(),
    openFilesPerProcess: openFileLimit(),
    systemFiles: systemFiles(),
    ephemeralPorts: ephemeralPortRange(),
  };
}

function readProc(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

function availableMemory(): number {
  const kib = /^MemAvailable:\s+(\d+) kB/m.exec(readProc('/proc/meminfo') ?? '')?.[1];
  const available = kib === undefined ? freemem() : Number(kib) * 1024;
  // A container's limit (cgroup) can be lower than what the kernel has free; 0 means no limit.
  const constrained = process.constrainedMemory?.() ?? 0;
  return constrained > 0 ? Math.min(available, constrained) : available;
}

function systemFiles(): MachineFacts['systemFiles'] {
  const max = Number(readProc('/proc/sys/fs/file-max')?.trim());
  const allocated = Number(readProc('/proc/sys/fs/file-nr')?.trim().split(/\s+/)[0]);
  return Number.isFinite(max) && max > 0 && Number.isFinite(allocated) ? { max, allocated } : null;
}

function ephemeralPortRange(): MachineFacts['ephemeralPorts'] {
  const [low, high] = (readProc('/proc/sys/net/ipv4/ip_local_port_range') ?? '').trim().split(/\s+/).map(Number);
  if (low === undefined || high === undefined || !(high >= low)) return { low: 32768, high: 60999 };   // Linux's default
  return { low, high };
}

// ---- from a load run's settings -------------------------------------------------------------------

const isLoopback = (host: string): boolean => /^127\.\d+\.\d+\.\d+$/.test(host) || host === 'localhost' || host === '::1';

/** What a load run of this shard asks of the machine; `connections` are the shard's (plan.ts). */
export function runDemand(config: LoadConfig, connections: number, processes: number | null): RunDemand {
  return {
    users: connections,
    groupSize: config.scenario === 'ping' ? 1 : config.groupSize,
    targets: config.targets.length,
    loopbackTargets: config.targets.every((t) => isLoopback(t.host)),
    sourceAddresses: config.sourceAddresses.length,
    workers: config.workers,
    uploads: config.rates.upload > 0,
    processes,
  };
}
