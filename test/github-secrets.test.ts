import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { WebhooksFile } from '../src/config/types.js';
import { RecordingLog } from '../src/log.js';
import { GitHubSecretsTarget } from '../src/github/secrets.js';
import { sync, type ResyncSecrets } from '../src/sync.js';
import { changed, succeeded } from '../src/verdicts.js';
import { created, deliveries } from './harness/outcomes.js';
import { GitHubEmulator, type SecretScope } from '../dev/emulator/github.js';
import { MkpEmulator } from '../src/emulator/mkp.js';
import { clientFor, subscription } from './harness/clients.js';
import { settingsFor } from './harness/settings.js';

/**
 * Secrets into GitHub (CONTRACT §3, §4): sealed with the target's real public key, decrypted
 * by the emulator's private key and compared with the webhooks' secrets.
 */
let mkp: MkpEmulator;
let github: GitHubEmulator;
beforeEach(async () => {
  mkp = await MkpEmulator.start();
  github = await GitHubEmulator.start({
    repositories: [
      { fullName: 'acme/shop', id: 1001, environments: ['production'] },
      { fullName: 'acme/web', id: 1002 },
    ],
    organizations: ['acme'],
  });
  process.env.GITHUB_API_URL = github.url;
});
afterEach(async () => {
  delete process.env.GITHUB_API_URL;
  await Promise.all([mkp.close(), github.close()]);
});

const file: WebhooksFile = {
  path: 'webhooks.yaml',
  subscriptions: [
    subscription('customer-created', 'https://hooks.example.com/crm', 'crm'),
    subscription('customer-deleted', 'https://hooks.example.com/crm', 'crm'),
    subscription('invoice-paid', 'https://billing.example.com/mkp', 'billing'),
  ],
};

const targets: Array<{ inputs: Record<string, string>; scope: SecretScope }> = [
  {
    inputs: { 'secrets-target': 'repository' },
    scope: { kind: 'repository', repository: 'acme/shop' },
  },
  {
    inputs: { 'secrets-target': 'environment', environment: 'production' },
    scope: { kind: 'environment', repository: 'acme/shop', environment: 'production' },
  },
  {
    inputs: { 'secrets-target': 'organization' },
    scope: { kind: 'organization', organization: 'acme' },
  },
];

async function run(
  inputs: Record<string, string>,
  resync: ResyncSecrets = 'missing',
  env: Record<string, string> = {},
) {
  const settings = settingsFor(
    { 'api-token': mkp.token, 'github-token': github.token, repository: 'acme/shop', ...inputs },
    { MKP_GITHUB_WRITE_INTERVAL_MS: '0', GITHUB_API_URL: github.url, ...env },
  );
  const log = new RecordingLog();
  const result = await sync({
    file,
    client: clientFor(mkp).client,
    dryRun: false,
    target: new GitHubSecretsTarget(settings),
    resync,
    log,
  });
  return { result, log };
}

/** Every declared webhook's secret, decrypted from the target, equals the one on the account. */
function expectDelivered(scope: SecretScope) {
  for (const s of file.subscriptions) {
    const record = mkp.records.find((r) => r.type === s.event && r.url === s.url);
    expect(record).toBeDefined();
    expect(github.decrypt(scope, s.secretName)).toBe(record!.secret);
  }
}

describe.each(targets)('secrets-target $inputs.secrets-target', ({ inputs, scope }) => {
  it('writes each new secret sealed, readable only with the private key, and a rerun writes nothing', async () => {
    const first = await run(inputs);
    expect(succeeded(first.result)).toBe(true);
    expectDelivered(scope);
    expect(github.count('GET', '/public-key')).toBe(1); // the key is fetched once per run
    const writes = github.count('PUT', '/secrets/');
    expect(writes).toBe(3);

    const second = await run(inputs);
    expect(changed(second.result)).toBe(false);
    expect(github.count('PUT', '/secrets/')).toBe(writes);
    expect(mkp.records).toHaveLength(3);
  });

  it('resync-secrets: missing writes only what the target lacks; always writes every run; never leaves it', async () => {
    await run(inputs);
    github.putSecret(scope, 'UNRELATED', 'x');
    const before = github.count('PUT', '/secrets/');
    // Someone deleted one secret at the target.
    await fetch(`${github.url}${secretPath(scope)}/MKP_WEBHOOK_BILLING_INVOICE_PAID`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${github.token}` },
    });
    await run(inputs, 'never');
    expect(github.count('PUT', '/secrets/')).toBe(before);
    const missing = await run(inputs, 'missing');
    expect(deliveries(missing.result).map((d) => [d.subscription.secretName, d.reason])).toEqual([
      ['MKP_WEBHOOK_BILLING_INVOICE_PAID', 'missing'],
    ]);
    expect(changed(missing.result)).toBe(true);
    await run(inputs, 'always');
    expect(github.count('PUT', '/secrets/')).toBe(before + 1 + 3);
    expectDelivered(scope);
  });

  it('a failed secret write is reported with what was done, and the next run repairs it without a second webhook', async () => {
    github.inject({ method: 'PUT', pathIncludes: 'MKP_WEBHOOK_CRM_CUSTOMER_DELETED', status: 403 });
    const first = await run(inputs);
    expect(succeeded(first.result)).toBe(false);
    expect(created(first.result)).toHaveLength(3);
    const failed = deliveries(first.result).filter((d) => d.outcome === 'failed');
    expect(failed.map((d) => d.subscription.secretName)).toEqual([
      'MKP_WEBHOOK_CRM_CUSTOMER_DELETED',
    ]);
    expect(failed[0]!.message).toContain('lacks the permission');

    const second = await run(inputs);
    expect(succeeded(second.result)).toBe(true);
    expect(created(second.result)).toHaveLength(0);
    expect(deliveries(second.result).map((d) => d.subscription.secretName)).toEqual([
      'MKP_WEBHOOK_CRM_CUSTOMER_DELETED',
    ]);
    expect(mkp.records).toHaveLength(3);
    expectDelivered(scope);
  });
});

describe('a slow or rate-limiting GitHub', () => {
  const repository = targets[0]!;
  const billing = '/secrets/MKP_WEBHOOK_BILLING_INVOICE_PAID';

  it('lists the secret writes in the order of the plan, whichever GitHub answers first', async () => {
    const crm = '/secrets/MKP_WEBHOOK_CRM_CUSTOMER_CREATED';
    github.inject({ method: 'PUT', pathIncludes: crm, delayMs: 300 });
    const { result } = await run(repository.inputs);
    expect(succeeded(result)).toBe(true);
    expect(deliveries(result).map((d) => d.subscription)).toEqual(file.subscriptions);
  });

  it('abandons a secret write that hangs and writes it again', async () => {
    github.inject({ method: 'PUT', pathIncludes: billing, delayMs: 10_000 });
    const { result } = await run(repository.inputs, 'missing', { MKP_HTTP_TIMEOUT_MS: '300' });
    expect(succeeded(result)).toBe(true);
    expect(github.count('PUT', billing)).toBe(2);
    expectDelivered(repository.scope);
  });

  it('waits out a 429 as GitHub says, and gives up after two retries with a clear failure', async () => {
    github.inject({ method: 'PUT', pathIncludes: billing, status: 429, times: 3 });
    const { result } = await run(repository.inputs);
    expect(github.count('PUT', billing)).toBe(3); // the first write and two retries, no more
    const failed = deliveries(result).filter((d) => d.outcome === 'failed');
    expect(failed.map((d) => d.subscription.secretName)).toEqual([
      'MKP_WEBHOOK_BILLING_INVOICE_PAID',
    ]);
    expect(failed[0]!.message).toContain('429');
    expect(succeeded(result)).toBe(false);
  });
});

function secretPath(scope: SecretScope): string {
  switch (scope.kind) {
    case 'repository':
      return `/repos/${scope.repository}/actions/secrets`;
    case 'environment':
      return `/repos/${scope.repository}/environments/${scope.environment}/secrets`;
    case 'organization':
      return `/orgs/${scope.organization}/actions/secrets`;
  }
}

describe('organization secrets', () => {
  const org: SecretScope = { kind: 'organization', organization: 'acme' };

  it('creates new secrets as private', async () => {
    await run({ 'secrets-target': 'organization' });
    for (const secret of github.secrets(org)) expect(secret.visibility).toBe('private');
  });

  it('keeps the visibility and selected repositories of a secret that exists', async () => {
    github.putSecret(org, 'MKP_WEBHOOK_CRM_CUSTOMER_CREATED', 'old', {
      visibility: 'selected',
      selected_repository_ids: [1001, 1002],
    });
    github.putSecret(org, 'MKP_WEBHOOK_BILLING_INVOICE_PAID', 'old', { visibility: 'all' });
    await run({ 'secrets-target': 'organization' }, 'always');
    const byName = new Map(github.secrets(org).map((s) => [s.name, s]));
    expect(byName.get('MKP_WEBHOOK_CRM_CUSTOMER_CREATED')).toMatchObject({
      visibility: 'selected',
      selected_repository_ids: [1001, 1002],
    });
    expect(byName.get('MKP_WEBHOOK_BILLING_INVOICE_PAID')!.visibility).toBe('all');
    expect(byName.get('MKP_WEBHOOK_CRM_CUSTOMER_DELETED')!.visibility).toBe('private');
    expectDelivered(org);
  });
});

describe('errors people can act on', () => {
  it('a token without secret access fails before any webhook is created, and says what it lacks', async () => {
    github.setPermissions({ secrets: 'none' });
    const { result } = await run({ 'secrets-target': 'repository' });
    expect(mkp.records).toHaveLength(0);
    expect(result.failures).toHaveLength(1);
    expect(result.failures[0]).toContain('The default GITHUB_TOKEN cannot read secrets');
    expect(result.failures[0]).toContain('Secrets: read and write');
  });

  it('a token that can read but not write secrets is told which permission to add', async () => {
    github.setPermissions({ secrets: 'read' });
    const { result } = await run({ 'secrets-target': 'repository' });
    const failed = deliveries(result).filter((d) => d.outcome === 'failed');
    expect(failed).toHaveLength(3);
    expect(failed[0]!.message).toMatch(
      /cannot write repository secrets of acme\/shop \(GitHub answered 403.*\): the github-token lacks the permission/,
    );
  });

  it('a nonexistent environment is a clear error, before anything is created', async () => {
    const { result } = await run({ 'secrets-target': 'environment', environment: 'staging' });
    expect(mkp.records).toHaveLength(0);
    expect(result.failures[0]).toContain('the environment staging does not exist in acme/shop');
  });

  it('organization secrets without admin rights name what is needed', async () => {
    github.setPermissions({ orgSecrets: 'none' });
    const { result } = await run({ 'secrets-target': 'organization' });
    expect(result.failures[0]).toContain('organization permission Secrets: read and write');
  });
});
