// allWithin: the parts' values when all return, and a bug named (which parts) when some never do.
import { describe, expect, test } from 'vitest';
import { allWithin, PartsOverdueError } from '../../run/watchdog.js';
import { monoMs } from '../../../util/clock.js';

describe('allWithin', () => {
  test('all parts return: their values, in order, and no timer left behind', async () => {
    const values = await allWithin([Promise.resolve(1), new Promise<number>((r) => setTimeout(() => r(2), 20))], () => monoMs() + 10_000, 'worker', 5);
    expect(values).toEqual([1, 2]);
  });

  test('a part that never returns: the error names it and only it, once the deadline passed', async () => {
    const deadline = monoMs() + 30;
    const never = new Promise<number>(() => undefined);
    const err = await allWithin([Promise.resolve(0), never, Promise.resolve(2)], () => deadline, 'worker', 5).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PartsOverdueError);
    expect((err as Error).message).toMatch(/^worker 1 did not return by \d+ ms past/);
    expect((err as Error).message).toContain('a bug of talkbench');
    expect(monoMs()).toBeGreaterThan(deadline);
  });

  test('a deadline that moves later (the run was stopped later) is honoured', async () => {
    let deadline = monoMs() + 10;
    const late = new Promise<number>((r) => setTimeout(() => r(7), 60));
    setTimeout(() => { deadline = monoMs() + 10_000; }, 2);
    expect(await allWithin([late], () => deadline, 'worker', 5)).toEqual([7]);
  });

  test('a part that fails fails the whole, as Promise.all does', async () => {
    await expect(allWithin([Promise.reject(new Error('boom'))], () => monoMs() + 1000, 'worker', 5)).rejects.toThrow('boom');
  });
});
