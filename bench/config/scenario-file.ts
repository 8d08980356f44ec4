// Scenario files (`load --scenario-file FILE`): JSON (`.json`) or YAML (any other name) holding what
// the flags hold, and the settings the flags leave out (docs/SCENARIO.md). Read and parsed here; its
// fields are checked against the one table of load options (load-options.ts), which reports every
// mistake with the file and the field: "run.yaml: rates.chat: give chats ..., a number ≥ 0".
import { readFile } from 'node:fs/promises';
import { YAMLError, parse as parseYaml } from 'yaml';
import type { ConfigIssue, FileData } from '../../util/option-table.js';

const isJson = (source: string): boolean => /\.json$/i.test(source);

/** The file's settings, not yet checked; or why the text is not JSON or YAML at all. */
export function parseScenarioText(text: string, source: string): FileData | ConfigIssue {
  try {
    return { source, data: isJson(source) ? JSON.parse(text) : parseYaml(text) };
  } catch (err) {
    // Only the parsers' own complaints are the file's fault; anything else is a bug and goes on.
    if (!(err instanceof SyntaxError || err instanceof YAMLError)) throw err;
    return { field: '', where: source, message: `not valid ${isJson(source) ? 'JSON' : 'YAML'}: ${err.message}` };
  }
}

export async function readScenarioFile(path: string): Promise<FileData | ConfigIssue> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = err instanceof Error && 'code' in err && typeof err.code === 'string' ? err.code : null;
    if (code === null) throw err;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : code;
    return { field: '--scenario-file', where: `--scenario-file ${path}`, message: `cannot read the scenario file: ${why}` };
  }
  return parseScenarioText(text, path);
}
