import type { ConfigProblem } from '../config/types.js';
import { formatProblem } from '../config/types.js';
import type { SyncResult } from '../sync.js';
import { redactUrl, shownUrl } from '../url.js';
import { plural, uncheckedReason } from '../wording.js';
import { belongToOthers } from './summary.js';

/** The plan and its outcome as plain text for a terminal, from the same SyncResult. */
export function renderText(result: SyncResult): string {
  const lines: string[] = [];
  const { plan } = result;
  const row = (mark: string, event: string, url: string, tail: string) =>
    `  ${mark} ${event.padEnd(28)} ${url}${tail ? `  ${tail}` : ''}`;
  if (!plan && result.mode !== 'unchecked') {
    // The failures themselves went to stderr as they happened: each is printed once.
    lines.push(`${result.file.path}: no plan, the account could not be read`);
  } else if (result.mode === 'unchecked' || !plan) {
    lines.push(
      `${result.file.path}: valid; ${plural(result.file.subscriptions.length, 'subscription')} declared (no MKP_API_TOKEN: the account was not checked)`,
    );
    for (const { subscription: s } of result.outcomes) {
      const reason = uncheckedReason(s);
      lines.push(
        row('·', s.event, shownUrl(s), reason ? `${s.secretName}  ${reason}` : s.secretName),
      );
    }
  } else {
    lines.push(
      `${result.file.path}: ${plan.create.length} to create, ${plan.unchanged.length} unchanged, ${plan.unmanaged.length} unmanaged${result.mode === 'dry-run' ? ' (plan only)' : ''}`,
    );
    for (const { subscription: s, planned, create } of result.outcomes) {
      if (planned !== 'create') continue;
      const status =
        result.mode !== 'apply'
          ? 'will create'
          : create?.state === 'created'
            ? create.storedOtherwise
              ? `created, but ${create.storedOtherwise}`
              : 'created'
            : `FAILED: ${create?.message ?? 'not created'}`;
      lines.push(row('+', s.event, shownUrl(s), `${s.secretName}  ${status}`));
    }
    for (const { subscription: s, planned } of result.outcomes) {
      if (planned === 'unchanged') lines.push(row('=', s.event, shownUrl(s), s.secretName));
    }
    for (const r of plan.unmanaged)
      lines.push(row('!', r.type, redactUrl(r.url), `unmanaged ${r.id}`));
    if (plan.duplicates.length > 0) {
      lines.push(
        `  duplicates on the account: ${plan.duplicates
          .flat()
          .map((r) => r.id)
          .join(', ')}`,
      );
    }
    if (plan.ignored.length > 0) {
      lines.push(`  ${belongToOthers(plan.ignored.length).replace(/`/g, '')}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

export function renderProblems(problems: ConfigProblem[]): string {
  return `${problems.map(formatProblem).join('\n')}\n${plural(problems.length, 'problem')}; nothing was sent\n`;
}
