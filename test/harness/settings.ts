import { readSettings, type Settings } from '../../src/inputs.js';
import { ACTION_DEFAULTS } from '../../dev/harness/action-runner.js';

/** Settings as the Action reads them, from inputs over action.yml's defaults. */
export function settingsFor(
  inputs: Record<string, string>,
  env: Record<string, string> = {},
): Settings {
  const all = { ...ACTION_DEFAULTS, ...inputs };
  return readSettings((name) => all[name] ?? '', env);
}
