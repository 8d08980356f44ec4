// Friend groups of consecutive users, and how shards divide them: every user in exactly one group, a
// last group of one joins the group before it, and the shards' sockets add up to the run's users.
import { describe, expect } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import type { LoadConfig } from '../../config/load-config.js';
import { groupCount, groupMembers, groupSlice, namePrefix, usersOf, usersOfGroups } from '../../model/population.js';
import { shardConnections } from '../../run/plan.js';

function sizes(users: number, groupSize: number): number[] {
  return Array.from({ length: groupCount(users, groupSize) }, (_, g) => {
    const { first, end } = groupMembers(g, users, groupSize);
    return end - first;
  });
}

describe('friend groups', () => {
  test.each([
    [11, 5, [5, 6]],
    [10, 5, [5, 5]],
    [12, 5, [5, 5, 2]],
    [6, 5, [6]],
    [5, 5, [5]],
    [4, 5, [4]],
    [1, 5, [1]],
    [1, 1, [1]],
    [3, 2, [3]],
    [7, 3, [3, 4]],
    [100, 5, Array<number>(20).fill(5)],
    [101, 5, [...Array<number>(19).fill(5), 6]],
  ])('%s users in groups of %s: sizes %j', (users, groupSize, expected) => {
    expect(sizes(users, groupSize)).toEqual(expected);
    expect(groupCount(users, groupSize)).toBe(expected.length);
  });

  test.prop([fc.integer({ min: 1, max: 500 }), fc.integer({ min: 1, max: 20 })])(
    'groups cover the users in order, each user once; all of groupSize but the last, never a last of one beside others',
    (users, groupSize) => {
      const count = groupCount(users, groupSize);
      expect(count).toBeGreaterThanOrEqual(1);
      let next = 0;
      for (let g = 0; g < count; g++) {
        const { first, end } = groupMembers(g, users, groupSize);
        expect(first).toBe(next);
        expect(end).toBeGreaterThan(first);
        next = end;
        if (g < count - 1) expect(end - first).toBe(groupSize);
      }
      expect(next).toBe(users);
      const last = sizes(users, groupSize).at(-1)!;
      // A last group of one only when there is nothing else (or groups of one were asked for).
      if (last === 1) expect(count === 1 || groupSize === 1).toBe(true);
      if (count > 1) expect(last).toBeGreaterThanOrEqual(Math.min(2, groupSize));
      expect(last).toBeLessThanOrEqual(groupSize + 1);
    },
  );

  test.prop([fc.integer({ min: 1, max: 300 }), fc.integer({ min: 1, max: 20 }), fc.integer({ min: 1, max: 4 }), fc.string({ maxLength: 8 })])(
    'usersOf the whole run: every user once, in the group that holds it, its friends the other members',
    (users, groupSize, targets, seed) => {
      const count = groupCount(users, groupSize);
      const specs = usersOf({ first: 0, end: count }, users, groupSize, seed, targets);
      expect(specs.map((s) => s.index)).toEqual(Array.from({ length: users }, (_, i) => i));
      const prefix = namePrefix(seed);
      expect(new Set(specs.map((s) => s.name)).size).toBe(users);
      // What each user should be, built from the groups.
      const expected = [];
      for (let g = 0; g < count; g++) {
        const { first, end } = groupMembers(g, users, groupSize);
        const members = Array.from({ length: end - first }, (_, i) => first + i);
        for (const index of members) expected.push({ index, name: `${prefix}-${index}`, group: g, friends: members.filter((m) => m !== index), target: g % targets });
      }
      expect(specs.map(({ index, name, group, friends, target }) => ({ index, name, group, friends, target }))).toEqual(expected);
      // Friendship is mutual.
      const oneSided = specs.flatMap((s) => s.friends.filter((f) => !specs[f]!.friends.includes(s.index)).map((f) => [s.index, f]));
      expect(oneSided).toEqual([]);
    },
  );

  test('usersOf a slice of groups gives just their users', () => {
    // 11 users in groups of 5: group 0 is 0..4, group 1 is 5..10.
    const specs = usersOf({ first: 1, end: 2 }, 11, 5, 's', 1);
    expect(specs.map((s) => s.index)).toEqual([5, 6, 7, 8, 9, 10]);
    expect(specs[0]!.friends).toEqual([6, 7, 8, 9, 10]);
    expect(specs.every((s) => s.group === 1)).toBe(true);
    expect(usersOf({ first: 1, end: 1 }, 11, 5, 's', 1)).toEqual([]);
  });

  test('passwords and names follow the seed', () => {
    const [a] = usersOf({ first: 0, end: 1 }, 5, 5, 'seed-a', 1);
    const [again] = usersOf({ first: 0, end: 1 }, 5, 5, 'seed-a', 1);
    const [b] = usersOf({ first: 0, end: 1 }, 5, 5, 'seed-b', 1);
    expect(again).toEqual(a);
    expect(b!.name).not.toBe(a!.name);
    expect(b!.password).not.toBe(a!.password);
  });

  test.each([
    [{ first: 0, end: 2 }, 11, 5, { first: 0, end: 11 }],
    [{ first: 1, end: 2 }, 11, 5, { first: 5, end: 11 }],
    [{ first: 0, end: 1 }, 11, 5, { first: 0, end: 5 }],
    [{ first: 2, end: 2 }, 11, 5, { first: 0, end: 0 }],
    [{ first: 1, end: 3 }, 12, 5, { first: 5, end: 12 }],
  ])('usersOfGroups(%j, %s, %s) is %j', (range, users, groupSize, expected) => {
    expect(usersOfGroups(range, users, groupSize)).toEqual(expected);
  });

  test.prop([fc.integer({ min: 0, max: 200 }), fc.integer({ min: 1, max: 12 })])('groupSlice splits groups into consecutive near-equal slices', (groups, parts) => {
    let next = 0;
    for (let i = 0; i < parts; i++) {
      const { first, end } = groupSlice(groups, parts, i);
      expect(first).toBe(next);
      expect(end - first).toBeGreaterThanOrEqual(Math.floor(groups / parts));
      expect(end - first).toBeLessThanOrEqual(Math.ceil(groups / parts));
      next = end;
    }
    expect(next).toBe(groups);
  });
});

describe('shardConnections', () => {
  const configOf = (scenario: 'users' | 'ping', users: number, groupSize: number, index: number, count: number): LoadConfig =>
    ({ scenario, users, groupSize, shard: { index, count }, slice: { index: 1, count: 1 } }) as unknown as LoadConfig;

  test.each([
    ['users', 11, 5, 2, [5, 6]],
    ['users', 11, 5, 3, [5, 6, 0]],
    ['users', 100, 5, 3, [35, 35, 30]],
    ['users', 12, 5, 2, [10, 2]],
    ['ping', 11, 5, 3, [4, 4, 3]],
    ['ping', 2, 5, 3, [1, 1, 0]],
  ] as const)('%s, %s users in groups of %s over %s shards: %j', (scenario, users, groupSize, count, expected) => {
    const got = Array.from({ length: count }, (_, i) => shardConnections(configOf(scenario, users, groupSize, i + 1, count)));
    expect(got).toEqual(expected);
  });

  test.prop([fc.constantFrom('users' as const, 'ping' as const), fc.integer({ min: 1, max: 500 }), fc.integer({ min: 1, max: 20 }), fc.integer({ min: 1, max: 12 })])(
    'the shards together open one socket per user',
    (scenario, users, groupSize, count) => {
      let total = 0;
      for (let i = 1; i <= count; i++) total += shardConnections(configOf(scenario, users, groupSize, i, count));
      expect(total).toBe(users);
    },
  );

  test.prop([fc.integer({ min: 1, max: 500 }), fc.integer({ min: 1, max: 20 }), fc.integer({ min: 1, max: 12 })])(
    'a users shard holds whole groups: its sockets are the sizes of its groups',
    (users, groupSize, count) => {
      const all = sizes(users, groupSize);
      for (let i = 1; i <= count; i++) {
        const { first, end } = groupSlice(all.length, count, i - 1);
        const expected = all.slice(first, end).reduce((n, s) => n + s, 0);
        expect(shardConnections(configOf('users', users, groupSize, i, count))).toBe(expected);
      }
    },
  );
});
