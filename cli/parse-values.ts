// The options tables (util/option-table.ts) on the command line: each entry declared to commander
// with its help, and the words the user gave read back as commander parsed them, for the table's
// resolver to check, all at once [D-EXIT 2]. Commander itself checks nothing but the flags' names.
import { Option, type Command } from 'commander';
import type { OptionTable } from '../util/option-table.js';
import { TIME_UNIT_NAMES } from '../util/units.js';

const UNITS_HELP = `
Times carry their unit: ${TIME_UNIT_NAMES} (500ms, 10s, 2m); only 0 needs none.
Sizes are bytes (4096), or take KiB, MiB or GiB (64KiB, 16MiB).
Every bad flag is reported at once (exit 2).`;

/** Adds every flag of `table` to `command`, in the table's order. */
export function declareOptions(command: Command, table: OptionTable): Command {
  for (const spec of Object.values(table)) {
    if (spec.flag === null) continue;
    const placeholder = spec.placeholder ?? spec.kind.placeholder;
    const option = new Option(placeholder === null ? spec.flag : `${spec.flag} ${placeholder}`, spec.doc);
    // For help alone: a flag not given gets its value from the file or the table, never from commander.
    const shown = spec.defaultText ?? (spec.default === undefined || placeholder === null ? '' : spec.kind.format(spec.default));
    if (shown !== '') option.default(shown, shown);
    if (spec.combine) option.argParser((word: string, previous: unknown): unknown[] => [...(Array.isArray(previous) ? previous : []), word]);
    command.addOption(option);
  }
  return command.addHelpText('after', UNITS_HELP);
}

/** The words given on the command line (not defaulted), keyed as in `table`. */
export function givenWords(command: Command, table: OptionTable): Record<string, unknown> {
  const words: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(table)) {
    const option = command.options.find((o) => spec.flag !== null && o.long === spec.flag);
    if (option === undefined) continue;
    const name = option.attributeName();
    if (command.getOptionValueSource(name) === 'cli') words[key] = command.getOptionValue(name);
  }
  return words;
}
