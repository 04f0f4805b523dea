import type { GitHubSecretsOptions } from '../github/secrets.js';
import { OutputsTarget } from './outputs.js';
import type { SecretTarget } from './target.js';

/**
 * The SecretTarget that `secrets-target` names. The GitHub targets are loaded only when used,
 * so a run with step outputs does not pay for Octokit and libsodium at start-up.
 */
export async function openSecretTarget(options: GitHubSecretsOptions): Promise<SecretTarget> {
  if (options.secretsTarget === 'outputs') return new OutputsTarget();
  const { GitHubSecretsTarget } = await import('../github/secrets.js');
  return new GitHubSecretsTarget(options);
}
