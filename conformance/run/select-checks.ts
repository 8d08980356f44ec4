// Which checks a run runs: the target protocol's checks, narrowed by --only and --skip (ids or
// prefixes at a dot: `im.frame` selects `im.frame.coalesced`). A selector that matches no check is a
// typo and an empty selection runs nothing: both exit 2, never a green run that tested nothing
// [D-CONFORM] [D-EXIT].
import { UsageError } from '../../util/errors.js';
import { protocolOf, type CheckDefinition, type CheckProtocol } from '../catalogue/check.js';

export const matches = (id: string, selector: string): boolean => id === selector || id.startsWith(`${selector}.`);

function checkSelectors(flag: string, selectors: readonly string[], catalogue: readonly CheckDefinition[]): void {
  for (const s of selectors) {
    if (catalogue.some((c) => matches(c.id, s))) continue;
    const near = catalogue.map((c) => c.id).filter((id) => id.includes(s) || s.includes(id.split('.').slice(0, 2).join('.')));
    const hint = near.length > 0 ? `; did you mean ${near.slice(0, 3).join(', ')}?` : '; --list shows the catalogue';
    throw new UsageError(`${flag} ${s}: no check has this id or prefix${hint}`, 'UNKNOWN_CHECK');
  }
}

export function selectChecks(catalogue: readonly CheckDefinition[], protocol: CheckProtocol, only: readonly string[], skip: readonly string[]): CheckDefinition[] {
  checkSelectors('--only', only, catalogue);
  checkSelectors('--skip', skip, catalogue);
  const selected = catalogue
    .filter((c) => protocolOf(c) === protocol)
    .filter((c) => only.length === 0 || only.some((s) => matches(c.id, s)))
    .filter((c) => !skip.some((s) => matches(c.id, s)));
  if (selected.length === 0) {
    const said = [only.length > 0 ? `--only ${only.join(',')}` : '', skip.length > 0 ? `--skip ${skip.join(',')}` : ''].filter(Boolean).join(' ');
    throw new UsageError(`the selection is empty: no ${protocol} check is left${said ? ` after ${said}` : ''} (the checks of --protocol ${protocol} start with "${protocol}.")`, 'EMPTY_SELECTION');
  }
  return selected;
}
