// The capacity checks [D-CAPACITY] on given machines: each limit refuses the runs that pass it, naming
// itself and how many users fit; runs within every limit get their processes.
import { describe, expect, test } from 'vitest';
import {
  CapacityError, MEMORY_PER_PROCESS_BYTES, MEMORY_PER_USER_BYTES, MEMORY_PER_WORKER_BYTES, largestFitting, planCapacity,
  processBound, readMachineFacts, workersPerProcess, type CapacityLimit, type MachineFacts, type RunDemand,
} from '../config/capacity.js';

const GiB = 2 ** 30;

/** This machine: 2 cores, 24 GiB, 20,000 open files per process, Linux's default port range. */
const MACHINE: MachineFacts = {
  cores: 2,
  availableMemoryBytes: 23 * GiB,
  openFilesPerProcess: 20_000,
  systemFiles: { max: 2_466_177, allocated: 400 },
  ephemeralPorts: { low: 32768, high: 60999 },
};

const RUN: RunDemand = {
  users: 1000, groupSize: 5, targets: 1, loopbackTargets: true, sourceAddresses: 0, workers: 2, uploads: false, processes: null,
};

function refusal(demand: Partial<RunDemand>, facts: Partial<MachineFacts> = {}): CapacityError {
  try {
    planCapacity({ ...RUN, ...demand }, { ...MACHINE, ...facts });
  } catch (err) {
    if (err instanceof CapacityError) return err;
    throw err;
  }
  throw new Error('the run was not refused');
}

describe('runs within every limit', () => {
  test.each<[string, Partial<RunDemand>, Partial<MachineFacts>, number, RegExp | null]>([
    ['1,000 users: one process', { users: 1000 }, {}, 1, null],
    ['19,800 users fill one process exactly', { users: 19_800, sourceAddresses: 2 }, {}, 1, null],
    ['50,000 users (the scale benchmark): three processes, said so', { users: 50_000, sourceAddresses: 5 }, {},
      3, /50000 connections exceed one process's open-file limit \(20000, 19800 usable\): running 3 generator processes/],
    ['158,400 users: the bound of 8 processes, full', { users: 158_400, sourceAddresses: 16 }, {}, 8, /running 8 generator processes/],
    ['--processes 4 as given', { users: 1000, processes: 4 }, {}, 4, null],
    ['open-file limit unknown: one process, no descriptor check', { users: 100_000, sourceAddresses: 10 }, { openFilesPerProcess: null, systemFiles: null }, 1, null],
    ['4 cores: a bound of 16 processes', { users: 300_000, sourceAddresses: 30 }, { cores: 4 }, 16, /running 16 generator processes/],
  ])('%s', (_, demand, facts, processes, reason) => {
    const plan = planCapacity({ ...RUN, ...demand }, { ...MACHINE, ...facts });
    expect(plan.processes).toBe(processes);
    if (reason) expect(plan.reason).toMatch(reason); else expect(plan.reason).toBeNull();
  });
});

describe('each limit refuses the runs that pass it, naming itself and the users that fit', () => {
  // [case, demand, machine, the limit, the users that fit under it, words of its message]
  test.each<[string, Partial<RunDemand>, Partial<MachineFacts>, CapacityLimit, number, RegExp]>([
    // 1 GiB, one process (no descriptor limit known): 210 MiB + 2 workers × 45 MiB + users × 24 KiB.
    ['memory', { users: 50_000, sourceAddresses: 5 }, { availableMemoryBytes: GiB, openFilesPerProcess: null },
      'memory', Math.floor((GiB - MEMORY_PER_PROCESS_BYTES - 2 * MEMORY_PER_WORKER_BYTES) / MEMORY_PER_USER_BYTES),
      /^memory: 50000 users need about 1\.4 GiB \(measured: 24 KiB per user, 210 MiB per generator process, 45 MiB per worker thread\), and 1\.0 GiB is available: 30890 users fit$/],
    // A second process costs another 255 MiB and the parent 210 MiB: more than one process does not fit in 1 GiB.
    ['memory, where a second process would not fit', { users: 30_000, sourceAddresses: 3 }, { availableMemoryBytes: GiB },
      'memory', 19_800, /: 19800 users fit$/],
    ['the process bound (auto)', { users: 200_000, sourceAddresses: 20 }, {},
      'processes', 158_400, /^generator processes: 200000 users need 11 processes of at most 19800 sockets each \(open-file limit 20000\), over the bound of 8 generator processes on this machine \(4 per core × 2 cores\): 158400 users fit; run slices on other machines with --shard i\/N$/],
    ['the process bound (--processes given)', { users: 1000, processes: 9 }, {},
      'processes', 1000, /^generator processes: --processes 9 is over the bound of 8 generator processes on this machine \(4 per core × 2 cores\): 1000 users fit in 8 or fewer; give fewer, or run slices on other machines with --shard i\/N$/],
    ['an open-file limit too small for one friend group', { users: 1000 }, { openFilesPerProcess: 150 },
      'processes', 0, /leaves no process room for a friend group of 5 sockets: 0 users fit; raise ulimit -n$/],
    ['descriptors per process (--processes given)', { users: 5000, processes: 1 }, { openFilesPerProcess: 1024 },
      'open-files-per-process', 824, /^open files per process: 5000 users in 1 process\(es\) need 5200 descriptors in the busiest, over the open-file limit of 1024 \(200 kept for the process itself\): 824 users fit; use --processes 7 or more$/],
    ['descriptors per process, uploads: 8 HTTP sockets per worker', { users: 19_800, processes: 1, uploads: true, sourceAddresses: 2 }, {},
      'open-files-per-process', 19_784, /need 20016 descriptors in the busiest, over the open-file limit of 20000 \(200 kept for the process itself, 16 for HTTP\): 19784 users fit; use --processes 2 or more$/],
    ['descriptors per process, beyond the bound: shard', { users: 200_000, processes: 2, sourceAddresses: 20 }, {},
      'open-files-per-process', 39_600, /: 39600 users fit; run slices on other machines with --shard i\/N$/],
    // 100,000 files, 50,000 in use, 5,000 kept: 45,000 for two files per user (loopback) and 200 per process.
    ['the system-wide file limit', { users: 30_000, sourceAddresses: 3 }, { systemFiles: { max: 100_000, allocated: 50_000 } },
      'system-files', 22_300, /^system-wide open files: 30000 users need 60400 files \(two per connection: the target is on this machine\), and fs\.file-max 100000 leaves 45000 \(50000 in use, 5% kept for the rest of the system\): 22300 users fit$/],
    ['ports to one target, unbound', { users: 30_000 }, {},
      'source-ports', 28_232, /^source ports: 30000 connections to one target need more than its 28232 ephemeral ports \(32768-60999\): 28232 users fit; add --source-addresses or targets$/],
    ['ports per source address, bound', { users: 30_000, targets: 2, sourceAddresses: 1 }, {},
      'source-ports', 28_232, /^source ports: 30000 connections need more ports than 1 source address\(es\) × 28232 ephemeral ports \(32768-60999\): 28232 users fit; add --source-addresses$/],
    ['a narrow port range', { users: 2000 }, { ephemeralPorts: { low: 50000, high: 50999 } },
      'source-ports', 1000, /: 1000 users fit/],
  ])('%s', (_, demand, facts, limit, usersFit, message) => {
    const err = refusal(demand, facts);
    expect(err.limits).toContain(limit);
    const r = err.refusals.find((x) => x.limit === limit)!;
    expect(r.usersFit).toBe(usersFit);
    expect(r.message).toMatch(message);
    expect(err.message).toContain(r.message);
    // What fits overall fits every limit, and never more than any one of them allows.
    expect(err.usersFit).toBeLessThanOrEqual(usersFit);
    if (err.usersFit > 0) expect(() => planCapacity({ ...RUN, ...demand, users: err.usersFit }, { ...MACHINE, ...facts })).not.toThrow();
  });

  test('5,000,000 users on this machine: every limit passed is named, and what fits overall', () => {
    const err = refusal({ users: 5_000_000, sourceAddresses: 254 });
    expect(err.limits).toEqual(['memory', 'processes', 'system-files']);
    expect(err.usersFit).toBe(158_400);
    expect(err.message.split('\n')[0]).toBe('refused before starting: this machine cannot hold 5000000 users [D-CAPACITY]; at most 158400 fit with these settings:');
  });

  test('targets elsewhere: one file per connection on this machine', () => {
    const facts = { systemFiles: { max: 100_000, allocated: 50_000 } };
    expect(() => planCapacity({ ...RUN, users: 30_000, sourceAddresses: 3, loopbackTargets: false }, { ...MACHINE, ...facts })).not.toThrow();
  });
});

describe('helpers', () => {
  test('workers per process: processes.ts splits --workers, one at least', () => {
    expect([workersPerProcess(2, 1), workersPerProcess(2, 3), workersPerProcess(8, 3)]).toEqual([2, 1, 2]);
  });

  test('the process bound is a few per core', () => {
    expect([processBound({ cores: 1 }), processBound({ cores: 2 }), processBound({ cores: 0 })]).toEqual([4, 8, 4]);
  });

  test.each([[0, 10, 0], [10, 10, 10], [7, 1_000_000, 7], [123_456, 5_000_000, 123_456]])('largestFitting: %i of up to %i', (limit, upTo, expected) => {
    expect(largestFitting((n) => n <= limit, upTo)).toBe(expected);
  });

  test("this machine's facts are read from /proc and os", () => {
    const facts = readMachineFacts();
    console.log(JSON.stringify(facts));
    expect(facts.cores).toBeGreaterThan(0);
    expect(facts.availableMemoryBytes).toBeGreaterThan(0);
    expect(facts.ephemeralPorts.high).toBeGreaterThan(facts.ephemeralPorts.low);
    if (process.platform === 'linux') {
      expect(facts.openFilesPerProcess).toBeGreaterThan(0);
      expect(facts.systemFiles!.max).toBeGreaterThan(facts.systemFiles!.allocated);
    }
  });
});
