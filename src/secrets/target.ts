/**
 * Where the secrets of webhooks go. The sync knows only this interface; the Action picks one
 * implementation from `secrets-target`.
 */
export interface SecretTarget {
  /** For people: "step outputs", "repository secrets of acme/shop". */
  readonly description: string;
  /** True for GitHub secret stores: a write there counts as a change. */
  readonly persistent: boolean;
  /**
   * Reads what writing needs (public key, the names already there) before anything is
   * created, so that a missing permission fails the run before it changes the account.
   * Resolves to the upper-cased names present, or undefined when the target cannot tell.
   */
  prepare(): Promise<ReadonlySet<string> | undefined>;
  write(name: string, value: string): Promise<void>;
}

/** Raised by a target for a write or read it could not do; the message says what to fix. */
export class SecretTargetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretTargetError';
  }
}
