// Splits a run among this process's workers: whole shares of connections (ping) and of the rate.
import type { LoadConfig } from '../config/load-config.js';
import { groupCount, groupSlice, usersOfGroups } from '../model/population.js';
import type { PingPlan, UsersPlan } from '../worker/task.js';

/** The `index`-th of `parts` near-equal shares of `total` items: [first, count] (groupSlice's split, for connections). */
export function share(total: number, parts: number, index: number): [number, number] {
  const { first, end } = groupSlice(total, parts, index);
  return [first, end - first];
}

export function pingPlans(config: LoadConfig, firstConnection: number, connections: number): PingPlan[] {
  const plans: PingPlan[] = [];
  const workers = Math.max(1, Math.min(config.workers, connections));
  // Open model: --rate is the whole run's (every shard and process), or one request per connection
  // per heartbeat interval [D-LOAD]; each connection sends its equal share, so the parts add up to it.
  const perConnection = config.rate !== null ? config.rate / config.users : 1000 / config.heartbeatIntervalMs;
  for (let w = 0; w < workers; w++) {
    const [first, count] = share(connections, workers, w);
    plans.push({
      scenario: 'ping',
      connections: count,
      firstConnection: firstConnection + first,
      model: config.inflight !== null ? 'closed' : 'open',
      rate: perConnection * count,
      inflight: config.inflight ?? 1,
      bodyBytes: config.bodyBytes,
    });
  }
  return plans;
}

/** Whole friend groups for each worker of this shard (and process). */
export function usersPlans(config: LoadConfig, groups: { first: number; end: number }): UsersPlan[] {
  const count = groups.end - groups.first;
  const workers = Math.max(1, Math.min(config.workers, count));
  return Array.from({ length: workers }, (_, w) => {
    const slice = groupSlice(count, workers, w);
    return {
      scenario: 'users' as const,
      protocol: config.protocol,
      groups: { first: groups.first + slice.first, end: groups.first + slice.end },
      totalUsers: config.users,
      groupSize: config.groupSize,
      seed: config.seed,
      heartbeatIntervalMs: config.heartbeatIntervalMs,
      rates: { ...config.rates },
      chatBytes: config.chatBytes,
      uploadBytes: { ...config.uploadBytes },
      unanswered: [...config.unanswered],
      fileListIntervalMs: config.fileListIntervalMs,
      httpBase: config.httpBase,
      reconnect: { ...config.reconnect },
    };
  });
}

/** The groups of this process: its slice of its shard's groups. */
export function processGroups(config: LoadConfig): { first: number; end: number } {
  const shard = groupSlice(groupCount(config.users, config.groupSize), config.shard.count, config.shard.index - 1);
  const slice = groupSlice(shard.end - shard.first, config.slice.count, config.slice.index - 1);
  return { first: shard.first + slice.first, end: shard.first + slice.end };
}

/** The connections (ping) of this process: [first, count], its slice of its shard's. */
export function processConnections(config: LoadConfig): [number, number] {
  const [shardFirst, shardCount] = share(config.users, config.shard.count, config.shard.index - 1);
  const [first, count] = share(shardCount, config.slice.count, config.slice.index - 1);
  return [shardFirst + first, count];
}

/** Sockets this shard opens: one per user (ping: per connection). */
export function shardConnections(config: LoadConfig): number {
  if (config.scenario === 'ping') return share(config.users, config.shard.count, config.shard.index - 1)[1];
  const groups = groupSlice(groupCount(config.users, config.groupSize), config.shard.count, config.shard.index - 1);
  const members = usersOfGroups(groups, config.users, config.groupSize);
  return members.end - members.first;
}
