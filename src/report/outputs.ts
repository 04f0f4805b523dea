// The machine-readable outputs of CONTRACT §3, shared by the Action and `--json` of the CLI.
// URLs are kept whole here (machines need them); secrets never appear.
import type { Subscription } from '../config/types.js';
import type { RemoteWebhook } from '../mkp/types.js';
import type { Plan } from '../plan.js';
import type { PullRequestChanges, PullRequestItem } from '../pull-request.js';
import type { SyncResult } from '../result.js';
import { createdIn } from '../verdicts.js';

export interface SubscriptionJson {
  name: string | null;
  event: string;
  url: string;
  secretName: string;
}
export interface RecordJson {
  id: string;
  event: string;
  url: string;
}
export type PlanJson =
  | {
      create: SubscriptionJson[];
      unchanged: SubscriptionJson[];
      unmanaged: RecordJson[];
      duplicates: RecordJson[];
      /** Records outside the file's scope (`owns`/`ignore`): ids only, they are others' business. */
      ignored: Array<{ id: string }>;
      pullRequest?: PullRequestJson;
    }
  | { unchecked: SubscriptionJson[]; pullRequest?: PullRequestJson };

/** What a pull request changes in the file (CONTRACT §2); renames carry the old secret name. */
export interface PullRequestJson {
  adds: SubscriptionJson[];
  removes: SubscriptionJson[];
  renames: Array<SubscriptionJson & { previousSecretName: string }>;
}

export interface CreatedJson extends SubscriptionJson {
  id: string;
}

export function subscriptionJson(s: Subscription): SubscriptionJson {
  return { name: s.name, event: s.event, url: s.url, secretName: s.secretName };
}

export function recordJson(r: RemoteWebhook): RecordJson {
  return { id: r.id, event: r.type, url: r.url };
}

/** The `plan` output; on a pull request whose base was read, with what it changes. */
export function planJson(result: SyncResult, changes?: PullRequestChanges): PlanJson | undefined {
  const pullRequest = changes &&
    changes.base !== 'unreadable' && { pullRequest: pullRequestJson(changes.items) };
  if (result.mode === 'unchecked') {
    return { unchecked: result.file.subscriptions.map(subscriptionJson), ...pullRequest };
  }
  return result.plan && { ...checkedPlanJson(result.plan), ...pullRequest };
}

export function pullRequestJson(items: readonly PullRequestItem[]): PullRequestJson {
  const json: PullRequestJson = { adds: [], removes: [], renames: [] };
  for (const item of items) {
    if (item.change === 'add') json.adds.push(subscriptionJson(item.subscription));
    if (item.change === 'remove') json.removes.push(subscriptionJson(item.subscription));
    if (item.change === 'rename') {
      json.renames.push({ ...subscriptionJson(item.subscription), previousSecretName: item.from });
    }
  }
  return json;
}

export function checkedPlanJson(plan: Plan): PlanJson {
  return {
    create: plan.create.map(subscriptionJson),
    unchanged: plan.unchanged.map(({ subscription }) => subscriptionJson(subscription)),
    unmanaged: plan.unmanaged.map(recordJson),
    duplicates: plan.duplicates.flat().map(recordJson),
    ignored: plan.ignored.map((r) => ({ id: r.id })),
  };
}

export function createdJson(result: SyncResult): CreatedJson[] {
  return createdIn(result).map(({ subscription, record }) => ({
    ...subscriptionJson(subscription),
    id: record!.id,
  }));
}
