import type { SecretTarget } from './target.js';

/**
 * Secrets as step outputs. It cannot be asked what it already holds, so only the secrets that
 * the sync decides to deliver (new webhooks, or all with resync-secrets: always) end up here.
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
