// Who the simulated users are: names and passwords from the seed, and friend groups of consecutive
// users. Whole groups are assigned to targets, shards, processes and workers, so every chat has a
// receiver simulated by the same worker: delivery is measured end to end on one clock.
import { hash32 } from './random.js';

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

export function groupCount(users: number, groupSize: number): number {
  return Math.ceil(users / groupSize);
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
    for (let i = g * groupSize; i < Math.min(users, (g + 1) * groupSize); i++) members.push(i);
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
