// The run's result: what `sync` returns, and the only thing the verdicts, the renderers and the
// outputs read. Plain data that holds no secret value, so no rendering can leak one.
import type { Subscription, WebhooksFile } from './config/types.js';
import type { RemoteWebhook } from './mkp/types.js';
import type { Plan } from './plan.js';
import type { Phrase } from './text/phrase.js';

export type RunMode = 'apply' | 'dry-run' | 'unchecked';

/** What the create of a planned subscription came to. */
export type CreateResult =
  /** Made; `adopted` when found by listing after a create whose answer was lost. */
  | {
      state: 'created';
      adopted: boolean;
      /** The API stored another type or URL than was sent: what to declare instead (a failure). */
      storedOtherwise?: Phrase;
    }
  | { state: 'failed'; message: Phrase };

/** What the delivery of a subscription's secret came to. */
export interface SecretResult {
  /**
   * Why it was delivered: a new webhook; missing or stale at the target (resync-secrets:
   * missing); every run (always); the kept record of a duplicate group, every run while the
   * group exists (CONTRACT §2); or the step outputs, which get every declared webhook's
   * secret because they cannot be asked what they lack.
   */
  reason: 'created' | 'missing' | 'stale' | 'always' | 'duplicate' | 'outputs';
  state: 'written' | 'failed';
  message?: Phrase;
  /** When a new webhook's secret was written over a secret of that name: its `updated_at`. */
  replaced?: string;
  /** A failed write that no run can repeat until this is done at the target (it is full). */
  blocked?: string;
}

/**
 * One declared subscription and everything this run did for it: the plan's verdict, then the
 * create, then the secret. Holds no secret value.
 */
export interface Outcome {
  subscription: Subscription;
  /** Absent when the account was not read (no token, or the listing failed). */
  planned?: 'create' | 'unchanged';
  /** The record on the account: the one found (unchanged) or the one made in this run. */
  record?: RemoteWebhook;
  /** How many records on the account send this event to this URL, when more than one. */
  copies?: number;
  create?: CreateResult;
  secret?: SecretResult;
}

/** Where this run delivers secrets, as people read it; no secret values. */
export interface SecretDestination {
  description: string;
  /** A GitHub secret store (a write is a change), rather than the step outputs. */
  persistent: boolean;
}

export interface SyncResult {
  mode: RunMode;
  file: WebhooksFile;
  /** Undefined when the account was not read (no token) or could not be listed. */
  plan: Plan | undefined;
  /**
   * The records on the account that the plan was made from (no secret is part of a record);
   * undefined with the plan. A pull request's base file is planned against the same listing.
   */
  listing?: readonly RemoteWebhook[];
  /** How many pages that listing took, one API call each; undefined with the listing. */
  listPages?: number;
  /** One per declared subscription, in the file's order. */
  outcomes: Outcome[];
  /** Failures that concern no single subscription (listing, the secret target): messages. */
  failures: string[];
  /** Null when this run delivers no secrets (the CLI). */
  destination: SecretDestination | null;
  /** The signal that cancelled the run (SIGINT, SIGTERM, SIGBREAK), when one did. */
  cancelled?: string;
}
