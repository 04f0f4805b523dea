import { describe, expect, it } from '@jest/globals';
import { GITHUB_MAX_WAIT_MS } from '../src/github/pace.js';
import { accountNotCheckedWarning, InputError } from '../src/inputs.js';
import { settingsFor } from './harness/settings.js';

/** Every input read and checked once (CONTRACT §3); all problems reported together. */
function problems(inputs: Record<string, string>, env: Record<string, string> = {}): string[] {
  try {
    settingsFor(inputs, env);
  } catch (error) {
    if (error instanceof InputError) return error.problems;
    throw error;
  }
  return [];
}

describe('readSettings', () => {
  it('applies action.yml defaults', () => {
    const settings = settingsFor({ 'api-token': 't' });
    expect(settings).toMatchObject({
      config: 'webhooks.yaml',
      apiUrl: 'https://api.mijnklantportaal.nl/v1',
      dryRun: false,
      secretsTarget: 'outputs',
      resyncSecrets: 'missing',
      failOnDrift: false,
      prComment: false,
      driftIssue: false,
    });
  });

  it('rejects a boolean that is not true or false, naming the input and the value', () => {
    expect(problems({ 'api-token': 't', 'dry-run': 'maybe' })).toEqual([
      'input `dry-run` must be true or false, not `maybe`',
    ]);
    expect(settingsFor({ 'dry-run': 'TRUE' }).dryRun).toBe(true);
  });

  it('rejects an unknown secrets-target and resync-secrets value', () => {
    expect(
      problems({ 'api-token': 't', 'secrets-target': 'vault', 'resync-secrets': 'sometimes' }),
    ).toEqual([
      'input `secrets-target` must be one of outputs, repository, environment, organization, not `vault`',
      'input `resync-secrets` must be one of missing, always, never, not `sometimes`',
    ]);
  });

  it('requires api-token unless dry-run', () => {
    expect(problems({})[0]).toMatch(/^input `api-token` is empty/);
    expect(problems({ 'dry-run': 'true' })).toEqual([]);
    // An apply needs the token on a pull request too.
    expect(problems({}, { GITHUB_EVENT_NAME: 'pull_request' })[0]).toMatch(
      /^input `api-token` is empty: .*only a dry run on a pull request may go without one$/,
    );
  });

  describe('a dry run without api-token (CONTRACT §2)', () => {
    const drift = { 'dry-run': 'true', 'fail-on-drift': 'true' };
    const issue = {
      'dry-run': 'true',
      'drift-issue': 'true',
      repository: 'a/b',
      'github-token': 'g',
    };

    it.each(['pull_request', 'pull_request_target', 'merge_group'])(
      'passes on %s, with the drift flags too: a fork gets no secrets',
      (event) => {
        expect(problems(drift, { GITHUB_EVENT_NAME: event })).toEqual([]);
        expect(problems(issue, { GITHUB_EVENT_NAME: event })).toEqual([]);
        expect(accountNotCheckedWarning(settingsFor(drift, { GITHUB_EVENT_NAME: event }))).toBe(
          undefined,
        );
      },
    );

    it.each(['schedule', 'workflow_dispatch', 'push', ''])(
      'is an input error on %p with fail-on-drift or drift-issue: a drift check that cannot look must not pass',
      (event) => {
        const env: Record<string, string> = event ? { GITHUB_EVENT_NAME: event } : {};
        expect(problems(drift, env)).toEqual([
          `input \`api-token\` is empty on a ${event || 'local'} run with fail-on-drift: a drift check that cannot read the account must not pass. Pass api-token: \${{ secrets.MKP_API_TOKEN }} (is that secret missing, or misspelled?); only a pull request's run may validate the file alone`,
        ]);
        expect(problems({ ...issue, 'fail-on-drift': 'True' }, env)[0]).toContain(
          'run with fail-on-drift and drift-issue:',
        );
      },
    );

    it.each(['schedule', 'workflow_dispatch', 'push', ''])(
      'is a warning on %p without the drift flags',
      (event) => {
        const env: Record<string, string> = event ? { GITHUB_EVENT_NAME: event } : {};
        const settings = settingsFor({ 'dry-run': 'true' }, env);
        expect(accountNotCheckedWarning(settings)).toBe(
          `no api-token on a ${event || 'local'} run: the file is valid, but the account was not checked. Pass api-token: \${{ secrets.MKP_API_TOKEN }} (is that secret missing, or misspelled?); only a pull request's run is expected to go without it`,
        );
        expect(
          accountNotCheckedWarning(settingsFor({ 'dry-run': 'true', 'api-token': 't' }, env)),
        ).toBe(undefined);
      },
    );
  });

  it.each([
    ['http://api.example.com/v1', 'must use https'],
    ['http://10.0.0.1/v1', 'must use https'],
    ['ftp://127.0.0.1/v1', 'must use https'],
    ['not a url', 'is not a URL'],
    ['https://user:pw@api.example.com/v1', 'must not carry user-info'],
  ])('rejects api-url %s', (url, message) => {
    expect(problems({ 'api-token': 't', 'api-url': url }).join('\n')).toContain(message);
  });

  it.each([
    'http://127.0.0.1:8080/v1',
    'http://127.1.2.3/v1',
    'http://localhost:3000/v1',
    'http://[::1]:9/v1',
  ])('allows plain http to the loopback address %s', (url) => {
    expect(settingsFor({ 'api-token': 't', 'api-url': `${url}/` }).apiUrl).toBe(url);
  });

  it('requires an environment name with secrets-target: environment, before any call', () => {
    expect(
      problems({
        'api-token': 't',
        'secrets-target': 'environment',
        repository: 'acme/shop',
        'github-token': 'g',
      }),
    ).toEqual(['input `environment` is empty: it is required with secrets-target: environment']);
  });

  it('defaults the organization to the owner of repository', () => {
    const settings = settingsFor({
      'api-token': 't',
      'secrets-target': 'organization',
      repository: 'acme/shop',
      'github-token': 'g',
    });
    expect(settings.organization).toBe('acme');
  });

  it.each([
    'just-a-name',
    '../x',
    'acme/..',
    'acme/.',
    'acme/a/b',
    '-acme/x',
    'acme/x%2F..',
    'a b/c',
  ])('refuses repository %s: only owner/name as GitHub spells them', (repository) => {
    expect(problems({ 'api-token': 't', repository })).toEqual([
      `input \`repository\` must be owner/name as GitHub spells them (letters, digits, -, _ and . in the name), not \`${repository}\``,
    ]);
  });

  it.each(['acme/shop', 'Acme-Corp/shop.api', 'acme_emu/.github', 'a/..x'])(
    'accepts repository %s',
    (repository) => {
      expect(problems({ 'api-token': 't', repository })).toEqual([]);
    },
  );

  const environmentTarget = {
    'api-token': 't',
    'secrets-target': 'environment',
    repository: 'acme/shop',
    'github-token': 'g',
  };

  it.each(['.', '..', 'x'.repeat(256)])(
    'refuses environment %s, which would change the path of the call',
    (environment) => {
      expect(problems({ ...environmentTarget, environment })).toEqual([
        `input \`environment\` must be an environment's name (at most 255 characters, not . or ..), not \`${environment.slice(0, 60)}\``,
      ]);
    },
  );

  it.each(['prod\nuction', 'prod\u0000', 'prod\u0085'])(
    'refuses an environment with a control character, without showing it',
    (environment) => {
      expect(problems({ ...environmentTarget, environment })).toEqual([
        "input `environment` contains a control character (such as a line break): give the environment's name alone",
      ]);
    },
  );

  it.each(['production', 'Staging EU', 'x'.repeat(255), '.well', 'a/b'])(
    'accepts environment %s',
    (environment) => {
      expect(problems({ ...environmentTarget, environment })).toEqual([]);
    },
  );

  it.each([
    'Acme Corp',
    '-acme',
    'acme-',
    'ac--me',
    'acme_emu',
    'a'.repeat(40),
    '../acme',
    'ac\nme',
  ])('refuses organization %s: only a GitHub login', (organization) => {
    const found = problems({ 'api-token': 't', organization });
    expect(found).toHaveLength(1);
    expect(found[0]).not.toContain('\n');
    expect(found[0]).toMatch(
      /^input `organization` must be an organization's login as GitHub spells it \(letters, digits and single hyphens, at most 39 characters\), not /,
    );
  });

  it.each(['acme', 'Acme-Corp', 'a', 'a1-b2-c3', 'a'.repeat(39)])(
    'accepts organization %s',
    (organization) => {
      expect(problems({ 'api-token': 't', organization })).toEqual([]);
    },
  );

  it.each([
    ['api-token', 'tok\nen'],
    ['api-token', 'tok\ren'],
    ['github-token', 'ghs_abc\u0000def'],
    ['github-token', 'ghs_abc\u001bdef'],
  ])('refuses %s with a control character, without showing it', (name, value) => {
    const found = problems({ 'api-token': 't', [name]: value });
    expect(found).toEqual([
      `input \`${name}\` contains a control character (such as a line break): pass the token alone, e.g. \${{ secrets.X }} without extra lines`,
    ]);
  });

  it('reports every problem at once', () => {
    expect(
      problems({ 'dry-run': 'yes', 'api-url': 'http://example.com', 'fail-on-drift': 'on' }),
    ).toHaveLength(4);
  });

  it('reads tuning from the environment and rejects nonsense there too', () => {
    const settings = settingsFor(
      { 'dry-run': 'true' },
      { MKP_RATE_LIMIT: '10/3000', MKP_HTTP_TIMEOUT_MS: '500', MKP_GITHUB_MAX_WAIT_MS: '2000' },
    );
    expect(settings.tuning).toMatchObject({
      timeoutMs: 500,
      budget: { limit: 10, windowMs: 3000 },
      githubMaxWaitMs: 2000,
    });
    // Unset, the GitHub client's own default applies: the documented 5 minutes.
    expect(settingsFor({ 'dry-run': 'true' }).tuning.githubMaxWaitMs).toBeUndefined();
    expect(GITHUB_MAX_WAIT_MS).toBe(300_000);
    expect(problems({ 'dry-run': 'true' }, { MKP_RATE_LIMIT: 'fast' })).toEqual([
      'environment variable MKP_RATE_LIMIT must look like 60/60000, not `fast`',
    ]);
  });
});
