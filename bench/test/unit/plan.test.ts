// How a run is divided: shards (--shard i/N), the generator processes of a shard (config.slice, as
// processes.ts sets it) and the worker threads of a process. Whole friend groups go to each, so every
// chat's receiver is simulated by the sender's worker; together they hold every user exactly once.
// Ping connections are divided the same way, and the open model's rate with them [D-LOAD]: --rate is
// requests/s in all, so the parts' rates add up to it whatever the division.
import { describe, expect } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import type { LoadConfig } from '../../config/load-config.js';
import { workersPerProcess } from '../../config/capacity.js';
import { groupCount, groupMembers, usersOfGroups } from '../../model/population.js';
import { pingPlans, processConnections, processGroups, share, shardConnections, usersPlans } from '../../run/plan.js';

/** The settings plan.ts reads; the rest of a LoadConfig does not matter to it. */
type PlanSettings = Pick<LoadConfig,
  | 'scenario' | 'protocol' | 'users' | 'groupSize' | 'workers' | 'shard' | 'slice' | 'rate' | 'inflight'
  | 'heartbeatIntervalMs' | 'bodyBytes' | 'seed' | 'rates' | 'chatBytes' | 'uploadBytes' | 'unanswered'
  | 'fileListIntervalMs' | 'httpBase' | 'reconnect'>;

const BASE: PlanSettings = {
  scenario: 'users', protocol: 'im', users: 100, groupSize: 5, workers: 2,
  shard: { index: 1, count: 1 }, slice: { index: 1, count: 1 },
  rate: null, inflight: null, heartbeatIntervalMs: 10_000, bodyBytes: 0, seed: 'plan',
  rates: { chat: 0.1, upload: 0, status: 0.01, userInfo: 0, fileList: 0, broadcast: 0.05 },
  chatBytes: 64, uploadBytes: { min: 1024, max: 16_384 }, unanswered: [], fileListIntervalMs: 1000,
  httpBase: null, reconnect: { rate: 0, awayMs: 1000 },
};
const configOf = (s: Partial<PlanSettings>): LoadConfig => ({ ...BASE, ...s }) as LoadConfig;

interface Division { users: number; groupSize: number; shards: number; processes: number; workers: number }

/**
 * Every part of a run, as the CLI, processes.ts and run-load.ts make them: for each shard, each of
 * its processes (with its share of --workers), the plans of that process's workers.
 */
function parts(d: Division, s: Partial<PlanSettings> = {}) {
  const out: { shard: number; process: number; config: LoadConfig }[] = [];
  for (let i = 1; i <= d.shards; i++) {
    for (let p = 1; p <= d.processes; p++) {
      out.push({
        shard: i,
        process: p,
        config: configOf({
          ...s, users: d.users, groupSize: d.groupSize, workers: workersPerProcess(d.workers, d.processes),
          shard: { index: i, count: d.shards }, slice: { index: p, count: d.processes },
        }),
      });
    }
  }
  return out;
}

const arbDivision: fc.Arbitrary<Division> = fc.record({
  users: fc.integer({ min: 1, max: 400 }),
  groupSize: fc.integer({ min: 1, max: 12 }),
  shards: fc.integer({ min: 1, max: 5 }),
  processes: fc.integer({ min: 1, max: 6 }),
  workers: fc.integer({ min: 1, max: 8 }),
});

/** Consecutive ranges from 0 that end at `end`: nothing lost, nothing held twice. */
function expectPartition(ranges: readonly { first: number; end: number }[], end: number): void {
  let next = 0;
  for (const r of ranges) {
    if (r.end === r.first) continue;   // an empty part (more parts than groups) holds nothing
    expect(r.first).toBe(next);
    expect(r.end).toBeGreaterThan(r.first);
    next = r.end;
  }
  expect(next).toBe(end);
}

const spread = (sizes: readonly number[]): number => Math.max(...sizes) - Math.min(...sizes);

describe('users: whole friend groups to every shard, process and worker', () => {
  test.prop([arbDivision], { numRuns: 300 })(
    'the workers of all processes of all shards hold every group and every user once, in order',
    (d) => {
      const groups = groupCount(d.users, d.groupSize);
      const workerGroups: { first: number; end: number }[] = [];
      for (const { config } of parts(d)) {
        const plans = usersPlans(config, processGroups(config));
        expect(plans.length).toBeLessThanOrEqual(config.workers);
        for (const plan of plans) {
          expect(plan.totalUsers).toBe(d.users);
          expect(plan.groupSize).toBe(d.groupSize);
          workerGroups.push(plan.groups);
        }
      }
      expectPartition(workerGroups, groups);
      // In users: the same ranges, seen as the users their groups hold.
      expectPartition(workerGroups.map((g) => usersOfGroups(g, d.users, d.groupSize)), d.users);
      // Whole groups: a range of groups ends where a group does, never inside one.
      for (const g of workerGroups.filter((r) => r.end > r.first)) {
        expect(usersOfGroups(g, d.users, d.groupSize).end).toBe(groupMembers(g.end - 1, d.users, d.groupSize).end);
      }
    },
  );

  test.prop([arbDivision], { numRuns: 300 })(
    'near-equal at each level: shards, the processes of a shard, the workers of a process differ by a group at most',
    (d) => {
      const byShard = new Map<number, number[]>();
      for (const { shard, config } of parts(d)) {
        const mine = processGroups(config);
        byShard.set(shard, [...(byShard.get(shard) ?? []), mine.end - mine.first]);
        const plans = usersPlans(config, mine);
        expect(spread(plans.map((p) => p.groups.end - p.groups.first))).toBeLessThanOrEqual(1);
      }
      for (const sizes of byShard.values()) expect(spread(sizes)).toBeLessThanOrEqual(1);
      expect(spread([...byShard.values()].map((sizes) => sizes.reduce((a, b) => a + b, 0)))).toBeLessThanOrEqual(1);
    },
  );

  test.prop([arbDivision], { numRuns: 300 })(
    "a shard's sockets (what the capacity check is given) are the users of its processes",
    (d) => {
      for (let i = 1; i <= d.shards; i++) {
        const mine = parts(d).filter((p) => p.shard === i);
        const users = mine.reduce((n, { config }) => {
          const g = processGroups(config);
          const u = usersOfGroups(g, d.users, d.groupSize);
          return n + u.end - u.first;
        }, 0);
        expect(shardConnections(mine[0]!.config)).toBe(users);
      }
    },
  );

  test.each<[string, Division, [number, number][][]]>([
    // The groups [first, end) of each worker, for each process of each shard in turn.
    ['11 users in groups of 5 (5 and 6), two workers: a group each', { users: 11, groupSize: 5, shards: 1, processes: 1, workers: 2 }, [[[0, 1], [1, 2]]]],
    ['more workers than groups: a worker per group', { users: 10, groupSize: 5, shards: 1, processes: 1, workers: 4 }, [[[0, 1], [1, 2]]]],
    ['two processes of one worker each', { users: 30, groupSize: 5, shards: 1, processes: 2, workers: 2 }, [[[0, 3]], [[3, 6]]]],
    ['two shards of two processes', { users: 25, groupSize: 5, shards: 2, processes: 2, workers: 2 }, [[[0, 2]], [[2, 3]], [[3, 4]], [[4, 5]]]],
    ['more processes than groups: the last holds none', { users: 10, groupSize: 5, shards: 1, processes: 3, workers: 3 }, [[[0, 1]], [[1, 2]], [[2, 2]]]],
  ])('%s', (_, d, expected) => {
    const got = parts(d).map(({ config }) => usersPlans(config, processGroups(config)).map((p) => [p.groups.first, p.groups.end]));
    expect(got).toEqual(expected);
  });

  test('every worker gets the run-wide settings it needs, copied', () => {
    const config = configOf({ users: 20, workers: 2, unanswered: ['heartbeat'], rates: { ...BASE.rates, chat: 3 } });
    const plans = usersPlans(config, processGroups(config));
    expect(plans.map((p) => [p.scenario, p.protocol, p.seed, p.rates.chat, p.unanswered])).toEqual([
      ['users', 'im', 'plan', 3, ['heartbeat']], ['users', 'im', 'plan', 3, ['heartbeat']],
    ]);
    // Plain data per worker: one worker's plan is not another's (nor the config's) by reference.
    expect(plans[0]!.rates).not.toBe(config.rates);
    expect(plans[0]!.unanswered).not.toBe(plans[1]!.unanswered);
  });
});

describe('ping: connections and the open-model rate', () => {
  const arbPing = fc.record({
    division: arbDivision.map((d) => ({ ...d, groupSize: 1 })),
    rate: fc.option(fc.integer({ min: 1, max: 100_000 }), { nil: null }),
    heartbeatIntervalMs: fc.integer({ min: 1, max: 60_000 }),
  });

  test.prop([arbPing], { numRuns: 300 })(
    'the workers hold every connection once, in order, and their rates add up to the run\'s: --rate, or one per connection per interval',
    ({ division: d, rate, heartbeatIntervalMs }) => {
      const held: { first: number; end: number }[] = [];
      let total = 0;
      for (const { config } of parts(d, { scenario: 'ping', rate, heartbeatIntervalMs })) {
        const plans = pingPlans(config, ...processConnections(config));
        expect(plans.length).toBeLessThanOrEqual(config.workers);
        for (const plan of plans) {
          held.push({ first: plan.firstConnection, end: plan.firstConnection + plan.connections });
          expect(plan.model).toBe('open');
          expect(Number.isFinite(plan.rate)).toBe(true);
          total += plan.rate;
        }
      }
      expectPartition(held, d.users);
      const expected = rate ?? (d.users * 1000) / heartbeatIntervalMs;
      expect(total).toBeCloseTo(expected, 6);
    },
  );

  test.prop([arbPing], { numRuns: 200 })(
    'every connection gets the same share of the rate, whichever worker, process or shard holds it',
    ({ division: d, rate, heartbeatIntervalMs }) => {
      const perConnection = (rate ?? (d.users * 1000) / heartbeatIntervalMs) / d.users;
      for (const { config } of parts(d, { scenario: 'ping', rate, heartbeatIntervalMs })) {
        for (const plan of pingPlans(config, ...processConnections(config))) {
          expect(plan.rate).toBeCloseTo(plan.connections * perConnection, 6);
        }
      }
    },
  );

  test('the closed model: K in flight on every connection, whatever the division', () => {
    const config = configOf({ scenario: 'ping', users: 7, workers: 3, inflight: 4, bodyBytes: 16 });
    const plans = pingPlans(config, ...processConnections(config));
    expect(plans.map((p) => [p.firstConnection, p.connections, p.model, p.inflight, p.bodyBytes])).toEqual([
      [0, 3, 'closed', 4, 16], [3, 2, 'closed', 4, 16], [5, 2, 'closed', 4, 16],
    ]);
  });

  test.each<[string, Division, number | null, [number, number, number][]]>([
    // [firstConnection, connections, rate] of each worker, every process of every shard in turn
    ['one process, --rate 300 over 3 workers', { users: 6, groupSize: 1, shards: 1, processes: 1, workers: 3 }, 300, [[0, 2, 100], [2, 2, 100], [4, 2, 100]]],
    ['two processes share --rate 300', { users: 6, groupSize: 1, shards: 1, processes: 2, workers: 2 }, 300, [[0, 3, 150], [3, 3, 150]]],
    ['three shards share --rate 300', { users: 6, groupSize: 1, shards: 3, processes: 1, workers: 1 }, 300, [[0, 2, 100], [2, 2, 100], [4, 2, 100]]],
    ['no --rate: a heartbeat per connection per 10 s', { users: 4, groupSize: 1, shards: 2, processes: 1, workers: 1 }, null, [[0, 2, 0.2], [2, 2, 0.2]]],
    ['a process without connections sends nothing', { users: 2, groupSize: 1, shards: 1, processes: 3, workers: 3 }, 100, [[0, 1, 50], [1, 1, 50], [2, 0, 0]]],
  ])('%s', (_, d, rate, expected) => {
    const got = parts(d, { scenario: 'ping', rate }).flatMap(({ config }) =>
      pingPlans(config, ...processConnections(config)).map((p) => [p.firstConnection, p.connections, p.rate]));
    expect(got).toEqual(expected);
  });

  test.prop([fc.integer({ min: 0, max: 300 }), fc.integer({ min: 1, max: 9 })])('share: consecutive near-equal shares of any total', (total, count) => {
    const shares = Array.from({ length: count }, (_, i) => share(total, count, i));
    expectPartition(shares.map(([first, n]) => ({ first, end: first + n })), total);
    expect(spread(shares.map(([, n]) => n))).toBeLessThanOrEqual(1);
  });
});
