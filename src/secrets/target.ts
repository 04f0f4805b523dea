/**
 * Where the secrets of webhooks go. The sync knows only this interface; the Action picks one
 * implementation from `secrets-target`.
 */
export const SECRET_TARGETS = ['outputs', 'repository', 'environment', 'organization'] as const;
/** The `secrets-target` input: where secrets go. */
export type SecretTargetKind = (typeof SECRET_TARGETS)[number];

export interface SecretTarget {
  /** For people: "step outputs", "repository secrets of acme/shop". */
  readonly description: string;
  /** True for GitHub secret stores: a write there counts as a change. */
  readonly persistent: boolean;
  /**
   * Reads what writing needs (public key, the secrets already there) before anything is
   * created, so that a token that cannot read the target fails the run before it changes the
   * account. Resolves to what is there, or undefined when the target cannot tell.
   */
  prepare(): Promise<TargetSecrets | undefined>;
  write(name: string, value: string): Promise<void>;
}

/** Raised by a target for a write or read it could not do; the message says what to fix. */
export class SecretTargetError extends Error {
  /**
   * @param blocked what must change at the target before any run can write the secret (the
   *   target is full); undefined when the next run may simply write it
   */
  constructor(
    message: string,
    readonly blocked?: string,
  ) {
    super(message);
    this.name = 'SecretTargetError';
  }
}

/** The secrets already at a target, as its listing tells (names and dates only, never values). */
export interface TargetSecrets {
  /** secretNameKey(name) -> when it was last written (ISO 8601, the target's clock). */
  updatedAt: ReadonlyMap<string, string | undefined>;
  /** The target's clock when it answered (its Date header, ms), to compare with another clock. */
  clock?: number;
}
