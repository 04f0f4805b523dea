import type { SecretTarget } from './target.js';

/**
 * Secrets as step outputs (CONTRACT §3). It cannot be asked what it already holds, so every apply
 * run delivers the secret of every declared webhook on the account (resync-secrets: missing and
 * always alike), and with `never` only those of webhooks created in this run.
 */
export class OutputsTarget implements SecretTarget {
  readonly description = 'step outputs';
  readonly persistent = false;
  /** Secret name -> value, in delivery order. */
  readonly values = new Map<string, string>();

  async prepare(): Promise<undefined> {
    return undefined;
  }

  async write(name: string, value: string): Promise<void> {
    this.values.set(name, value);
  }

  /** The values written under these names, in the order given: what the step outputs show. */
  valuesOf(names: Iterable<string>): Map<string, string> {
    const values = new Map<string, string>();
    for (const name of names) {
      const value = this.values.get(name);
      if (value !== undefined) values.set(name, value);
    }
    return values;
  }
}
