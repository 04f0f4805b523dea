import type { EventType } from '../events.js';
import { formatPosition, type SourcePosition } from '../log.js';

/** One (url, event) pair of webhooks.yaml: one webhook record on the account, with one secret. */
export interface Subscription {
  /** The entry's `name`, or null when the entry has none. */
  name: string | null;
  event: EventType;
  /** The URL as declared, after `${VAR}` substitution; this is what the API receives. */
  url: string;
  /** The URL as written, when it holds `${VAR}`: people are shown this form, never the value. */
  template?: string;
  /**
   * Validate-only runs (no api-token): the variables of `url` that this run lacks (unset or
   * empty). `url` and `template` are then the text as written; the entry is listed as
   * unchecked, and its URL rules wait for a run that has the values (CONTRACT §2).
   */
  unresolved?: string[];
  /** The secret name this subscription's secret is delivered under. */
  secretName: string;
  /** Where the entry stands in the file, for annotations. */
  position: SourcePosition;
}

/** A file that passed every rule of CONTRACT §1. */
export interface WebhooksFile {
  path: string;
  subscriptions: Subscription[];
  /**
   * Every value substituted for a `${VAR}`: the shells mask and scrub them (CONTRACT §4), as a
   * URL read from the environment may carry a token in any part.
   */
  substitutedValues?: string[];
  /** What a validate-only run could not check (an unset `${VAR}`); never a failure. */
  notices?: ConfigProblem[];
  /** `owns` and `ignore`; absent means the whole account is this file's business. */
  scope?: Scope;
}

/** One rule broken by the file, at a place in it. */
export interface ConfigProblem extends SourcePosition {
  message: string;
}

/** Everything wrong with a file, reported at once. The loader throws nothing else. */
export class ConfigError extends Error {
  constructor(readonly problems: ConfigProblem[]) {
    super(problems.map(formatProblem).join('\n'));
    this.name = 'ConfigError';
  }
}

/** `PATH:LINE:COLUMN: message`, the form every problem is reported in. */
export function formatProblem(problem: ConfigProblem): string {
  return `${formatPosition(problem)}: ${problem.message}`;
}

/** `owns` and `ignore` of a file (config/scope.ts reads and matches them). */
export interface UrlPattern {
  /** As written in the file. */
  text: string;
  /** The normalised pattern's literal parts, between its `*`s. */
  matcher: Glob;
  line: number;
}

export interface IgnoreRule {
  pattern: UrlPattern;
  /** Without events, every event is ignored. */
  events: readonly EventType[] | null;
}

export interface Scope {
  /** Null when the file has no `owns`: every URL is its business. */
  owns: readonly UrlPattern[] | null;
  ignore: readonly IgnoreRule[];
}

/** Literal parts of a pattern: the URL starts with the first, ends with the last, holds the rest in order. */
export type Glob = readonly string[];
