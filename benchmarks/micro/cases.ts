// Every micro-benchmark case, in the order printed. Adding a subject is one module and one line here.
import { chatCases } from './chat.js';
import { frameDecodeCases } from './frame-decode.js';
import { frameEncodeCases } from './frame-encode.js';
import { protobufCases } from './protobuf.js';
import type { BenchCase } from './timing.js';

/** A case's unique name, "<subject> <case>": how a worker is told which case to run. */
export function caseKey(benchCase: BenchCase): string {
  return `${benchCase.group} ${benchCase.name}`;
}

export function allCases(): BenchCase[] {
  const cases = [...frameDecodeCases(), ...frameEncodeCases(), ...protobufCases(), ...chatCases()];
  const keys = new Set(cases.map(caseKey));
  if (keys.size !== cases.length) throw new Error('two micro-benchmark cases share a name');
  return cases;
}
