// Command-line value parsers. Each throws InvalidArgumentError with a message naming the value, which
// commander prints and main.ts turns into exit code 2 [D-EXIT].
import { InvalidArgumentError } from 'commander';
import * as units from '../util/units.js';

/** Turns a parser that throws Error into one commander reports as a bad argument. */
export function forCommander<T>(parse: (value: string) => T): (value: string) => T {
  return (value) => {
    try {
      return parse(value);
    } catch (err) {
      throw new InvalidArgumentError((err as Error).message);
    }
  };
}

export const parseDuration = forCommander((v) => Math.round(units.parseDuration(v)));
export const parseBytes = forCommander(units.parseBytes);

export const parsePort = forCommander((value) => {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535) throw new Error(`"${value}" is not a port: use 0 to 65535 (0 picks a free port)`);
  return port;
});

export const parsePositiveInt = forCommander((value) => {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || !Number.isSafeInteger(n)) throw new Error(`"${value}" is not a positive whole number`);
  return n;
});
