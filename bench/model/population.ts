// Who the simulated users are: names and passwords from the seed, and friend groups of consecutive
// users. Whole groups are assigned to targets, shards, processes and workers, so every chat has a
// receiver simulated by the same worker: delivery is measured end to end on one clock.
import { hash32 } from '../../util/random.js';

export interface UserSpec {
  /** Index in the whole run (all shards). */
  index: number;
  name: string;
  password: string;
  group: number;
  /** Indices of the other members of the group. */
  friends: number[];
  target: number;
}

export interface GroupRange {
  /** First and one-past-last group of a slice. */
  first: number;
  end: number;
}

/**
 * Groups of `groupSize` consecutive users; a last group that would hold one user joins the group
 * before it instead (`--users 11 --group-size 5`: 5 and 6), since a group of one has nobody to chat
 * with, and a CHAT/1.0 group of one member is ignored by the original server.
 */
export function groupCount(users: number, groupSize: number): number {
  const groups = Math.ceil(users / groupSize);
  return groups > 1 && users % groupSize === 1 ? groups - 1 : groups;
}

/** The users of group `g`: [first, end). */
export function groupMembers(g: number, users: number, groupSize: number): { first: number; end: number } {
  const last = g === groupCount(users, groupSize) - 1;
  return { first: g * groupSize, end: last ? users : Math.min(users, (g + 1) * groupSize) };
}

/** The users of groups [range.first, range.end): [first, end). */
export function usersOfGroups(range: GroupRange, users: number, groupSize: number): { first: number; end: number } {
  if (range.end <= range.first) return { first: 0, end: 0 };
  return { first: groupMembers(range.first, users, groupSize).first, end: groupMembers(range.end - 1, users, groupSize).end };
}

/** The `index`-th of `parts` slices of whole groups. */
export function groupSlice(groups: number, parts: number, index: number): GroupRange {
  const base = Math.floor(groups / parts);
  const extra = groups % parts;
  const first = index * base + Math.min(index, extra);
  return { first, end: first + base + (index < extra ? 1 : 0) };
}

/** A prefix that differs per seed, so runs with different seeds never share users. */
export function namePrefix(seed: string): string {
  return `tb${hash32('names', seed).toString(36).padStart(7, '0')}`;
}

export function usersOf(range: GroupRange, users: number, groupSize: number, seed: string, targets: number): UserSpec[] {
  const prefix = namePrefix(seed);
  const specs: UserSpec[] = [];
  for (let g = range.first; g < range.end; g++) {
    const members: number[] = [];
    const { first, end } = groupMembers(g, users, groupSize);
    for (let i = first; i < end; i++) members.push(i);
    for (const index of members) {
      specs.push({
        index,
        name: `${prefix}-${index}`,
        password: `pw-${hash32('password', seed, index).toString(36)}`,
        group: g,
        friends: members.filter((m) => m !== index),
        target: g % targets,
      });
    }
  }
  return specs;
}
