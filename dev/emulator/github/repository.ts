import {
  ApiError,
  DOCS,
  isRecord,
  lower,
  notFound,
  stableNumber,
  type GitHubState,
  type Reply,
  type Repository,
} from './core.js';

// A repository's record, and who the token is: GET /user and GraphQL's `viewer`.

export function getRepository(gh: GitHubState, fullName: string): Reply {
  const repo = gh.repo(fullName);
  if (!repo) throw notFound(`${DOCS}/repos/repos#get-a-repository`);
  return { status: 200, body: repositoryJson(gh, repo) };
}

export function repositoryJson(gh: GitHubState, repo: Repository): Record<string, unknown> {
  return {
    id: repo.id,
    node_id: `R_${stableNumber(`repo:${repo.id}`, 10)}`,
    name: repo.name,
    full_name: repo.fullName,
    private: true,
    owner: {
      login: repo.owner,
      id: Number(stableNumber(`user:${lower(repo.owner)}`, 8)),
      type: gh.orgs.has(lower(repo.owner)) ? 'Organization' : 'User',
    },
    html_url: `https://github.com/${repo.fullName}`,
    description: null,
    fork: false,
    url: `${gh.url}/repos/${repo.fullName}`,
  };
}

export function userJson(login: string): Record<string, unknown> {
  const bot = login.endsWith('[bot]');
  return {
    login,
    id: Number(stableNumber(`user:${lower(login)}`, 8)),
    node_id: `U_${stableNumber(`user-node:${lower(login)}`, 10)}`,
    type: bot ? 'Bot' : 'User',
    site_admin: false,
    html_url: bot ? `https://github.com/apps/${login.slice(0, -5)}` : `https://github.com/${login}`,
  };
}

/** GET /user: a user's own record; installation tokens are not a user and get 403. */
export function authenticatedUser(gh: GitHubState): Reply {
  if (gh.tokenKind !== 'personal') {
    throw new ApiError(403, 'Resource not accessible by integration', {
      documentation_url: `${DOCS}/users/users#get-the-authenticated-user`,
    });
  }
  return { status: 200, body: userJson(gh.login) };
}

/**
 * POST /graphql, for the one query the action asks: `viewer { login databaseId }`, which every
 * kind of token may ask (an installation token's viewer is its app's bot). databaseId is the
 * REST `user.id` of what the token writes. Anything else is answered as an unknown field.
 */
export function graphql(gh: GitHubState, body: unknown): Reply {
  const query = isRecord(body) && typeof body.query === 'string' ? body.query : '';
  if (!/^\s*(query\s*)?\{\s*viewer\s*\{[\s\w]*\}\s*\}\s*$/.test(query)) {
    return {
      status: 200,
      body: { errors: [{ message: 'the emulator answers only `query { viewer { … } }`' }] },
    };
  }
  const user = userJson(gh.login);
  const viewer: Record<string, unknown> = {};
  for (const field of query.replace(/^[^{]*\{\s*viewer\s*\{/, '').split(/[\s}]+/)) {
    if (field === 'login') viewer.login = gh.login;
    else if (field === 'databaseId') viewer.databaseId = user.id;
    else if (field !== '') {
      return {
        status: 200,
        body: { errors: [{ message: `Field '${field}' doesn't exist on type 'User'` }] },
      };
    }
  }
  return { status: 200, body: { data: { viewer } } };
}
