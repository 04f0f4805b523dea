import {
  DOCS,
  isRecord,
  lower,
  notFound,
  parsePositiveInt,
  stableNumber,
  timestamp,
  validationFailed,
  type GitHubState,
  type Reply,
  type Repository,
} from './core.js';
import { userJson } from './repository.js';

// Issues and issue comments; a pull request is an issue with `pull_request` set, reachable by
// either the issues or the pull requests permission.

export interface Issue {
  number: number;
  /** 'owner/name' */
  repository: string;
  title: string;
  body: string;
  state: 'open' | 'closed';
  labels: string[];
  user: { login: string };
  created_at: string;
  updated_at: string;
  /** set for pull requests (see addPullRequest) */
  pull_request?: object;
  /** maintained by the emulator; optional for seeded issues */
  closed_at?: string | null;
  state_reason?: 'completed' | 'not_planned' | 'reopened' | null;
}

export interface IssueComment {
  id: number;
  /** 'owner/name' */
  repository: string;
  issue_number: number;
  body: string;
  user: { login: string };
  created_at: string;
  updated_at: string;
}

const ISSUES_DOCS = `${DOCS}/issues/issues`;
const COMMENTS_DOCS = `${DOCS}/issues/comments`;
const BODY_LIMIT = 65536;

export class IssueTracker {
  /** Issues and pull requests (issues with `pull_request`) of every repository; seedable. */
  issues: Issue[] = [];
  /** Comments on issues and pull requests of every repository; seedable. */
  comments: IssueComment[] = [];

  constructor(private readonly gh: GitHubState) {}

  /** Adds pull request `number` (an issue with `pull_request`) so that comments on it work. */
  addPullRequest(repository: string, number: number): void {
    const repo = this.gh.repos.get(lower(repository));
    if (!repo) throw new Error(`unknown repository ${repository}`);
    if (this.findIssue(repo, number)) {
      throw new Error(`${repo.fullName}#${number} exists already`);
    }
    const now = timestamp(this.gh.clockOffsetMs);
    const base = `${this.gh.url}/repos/${repo.fullName}/pulls/${number}`;
    const html = `https://github.com/${repo.fullName}/pull/${number}`;
    this.issues.push({
      number,
      repository: repo.fullName,
      title: `Pull request #${number}`,
      body: '',
      state: 'open',
      labels: [],
      user: { login: 'octocat' },
      created_at: now,
      updated_at: now,
      closed_at: null,
      state_reason: null,
      pull_request: {
        url: base,
        html_url: html,
        diff_url: `${html}.diff`,
        patch_url: `${html}.patch`,
        merged_at: null,
      },
    });
  }

  private findIssue(repo: Repository, number: number): Issue | undefined {
    return this.issues.find(
      (i) => lower(i.repository) === lower(repo.fullName) && i.number === number,
    );
  }

  /** Issues need `issues`; a pull request (an issue with `pull_request`) either permission. */
  private requireIssueAccess(access: 'read' | 'write', isPullRequest: boolean, doc: string): void {
    this.gh.require(access, isPullRequest ? ['issues', 'pullRequests'] : ['issues'], doc);
  }

  issuesRoute(method: string, url: URL, fullName: string, body: unknown): Reply {
    const repo = this.gh.repo(fullName);
    if (method === 'GET') {
      const doc = `${ISSUES_DOCS}#list-repository-issues`;
      if (!repo) throw notFound(doc);
      this.requireIssueAccess('read', false, doc);
      return this.listIssues(repo, url);
    }
    if (method === 'POST') {
      const doc = `${ISSUES_DOCS}#create-an-issue`;
      if (!repo) throw notFound(doc);
      this.requireIssueAccess('write', false, doc);
      return this.createIssue(repo, body, doc);
    }
    throw notFound();
  }

  private listIssues(repo: Repository, url: URL): Reply {
    const q = url.searchParams;
    const state = q.get('state') ?? 'open';
    const wanted = (q.get('labels') ?? '')
      .split(',')
      .map((l) => lower(l.trim()))
      .filter((l) => l !== '');
    const creator = q.get('creator');
    const sort = q.get('sort') === 'updated' ? 'updated_at' : 'created_at';
    const direction = q.get('direction') === 'asc' ? 1 : -1;
    const matching = this.issues
      .filter((i) => lower(i.repository) === lower(repo.fullName))
      .filter((i) => state === 'all' || i.state === state)
      .filter((i) => wanted.every((w) => i.labels.some((l) => lower(l) === w)))
      .filter((i) => creator === null || lower(i.user.login) === lower(creator))
      .sort((x, y) => direction * (x[sort].localeCompare(y[sort]) || x.number - y.number));
    const page = this.gh.paginate(matching, url);
    return {
      status: 200,
      body: page.items.map((i) => this.issueJson(repo, i)),
      headers: page.headers,
    };
  }

  private createIssue(repo: Repository, body: unknown, doc: string): Reply {
    const input = isRecord(body) ? body : {};
    const title = input.title;
    if (
      title === undefined ||
      title === null ||
      (typeof title === 'string' && title.trim() === '')
    ) {
      throw validationFailed('Issue', [{ code: 'missing_field', field: 'title' }], doc);
    }
    if (typeof title !== 'string' && typeof title !== 'number') {
      throw validationFailed('Issue', [{ code: 'invalid', field: 'title' }], doc);
    }
    const text = this.bodyText(input.body, 'Issue', doc);
    const labels = input.labels === undefined ? [] : this.labelNames(input.labels, doc);
    const number =
      1 +
      Math.max(
        0,
        ...this.issues
          .filter((i) => lower(i.repository) === lower(repo.fullName))
          .map((i) => i.number),
      );
    const now = timestamp(this.gh.clockOffsetMs);
    const issue: Issue = {
      number,
      repository: repo.fullName,
      title: String(title),
      body: text ?? '',
      state: 'open',
      labels,
      user: { login: this.gh.login },
      created_at: now,
      updated_at: now,
      closed_at: null,
      state_reason: null,
    };
    this.issues.push(issue);
    return {
      status: 201,
      body: this.issueJson(repo, issue),
      headers: { location: `${this.gh.url}/repos/${repo.fullName}/issues/${number}` },
    };
  }

  /** The repository and issue (or pull request) a route names, once access is checked. */
  private issueFor(method: string, fullName: string, numberText: string, doc: string) {
    const repo = this.gh.repo(fullName);
    if (!repo) throw notFound(doc);
    const number = parsePositiveInt(numberText);
    const issue = number === undefined ? undefined : this.findIssue(repo, number);
    this.requireIssueAccess(
      method === 'GET' ? 'read' : 'write',
      issue?.pull_request !== undefined,
      doc,
    );
    if (!issue) throw notFound(doc);
    return { repo, issue };
  }

  issueRoute(method: string, fullName: string, numberText: string, body: unknown): Reply {
    const doc =
      method === 'PATCH' ? `${ISSUES_DOCS}#update-an-issue` : `${ISSUES_DOCS}#get-an-issue`;
    if (method !== 'GET' && method !== 'PATCH') throw notFound();
    const { repo, issue } = this.issueFor(method, fullName, numberText, doc);
    if (method === 'GET') return { status: 200, body: this.issueJson(repo, issue) };

    const input = isRecord(body) ? body : {};
    const errors: Array<Record<string, unknown>> = [];
    if (input.title !== undefined) {
      if (
        (typeof input.title !== 'string' && typeof input.title !== 'number') ||
        String(input.title).trim() === ''
      ) {
        errors.push({ code: 'missing_field', field: 'title' });
      }
    }
    if (input.state !== undefined && input.state !== 'open' && input.state !== 'closed') {
      errors.push({ code: 'invalid', field: 'state', value: input.state });
    }
    const reasons = ['completed', 'not_planned', 'reopened', null];
    if (
      input.state_reason !== undefined &&
      !reasons.includes(input.state_reason as string | null)
    ) {
      errors.push({ code: 'invalid', field: 'state_reason', value: input.state_reason });
    }
    if (errors.length > 0) throw validationFailed('Issue', errors, doc);
    const text = this.bodyText(input.body, 'Issue', doc);
    const labels = input.labels === undefined ? undefined : this.labelNames(input.labels, doc);

    if (input.title !== undefined) issue.title = String(input.title);
    if (input.body !== undefined) issue.body = text ?? '';
    if (labels !== undefined) issue.labels = labels;
    if (input.state !== undefined && input.state !== issue.state) {
      issue.state = input.state as 'open' | 'closed';
      if (issue.state === 'closed') {
        issue.closed_at = timestamp(this.gh.clockOffsetMs);
        issue.state_reason = (input.state_reason as Issue['state_reason']) ?? 'completed';
      } else {
        issue.closed_at = null;
        issue.state_reason = 'reopened';
      }
    } else if (input.state_reason !== undefined) {
      issue.state_reason = input.state_reason as Issue['state_reason'];
    }
    issue.updated_at = timestamp(this.gh.clockOffsetMs);
    return { status: 200, body: this.issueJson(repo, issue) };
  }

  /** An issue or comment body: string or null; longer than GitHub's 65536 characters is 422. */
  private bodyText(value: unknown, resource: string, doc: string): string | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string') {
      throw validationFailed(resource, [{ code: 'invalid', field: 'body' }], doc);
    }
    if (value.length > BODY_LIMIT) {
      throw validationFailed(
        resource,
        [
          {
            code: 'custom',
            field: 'body',
            message: `body is too long (maximum is ${BODY_LIMIT} characters)`,
          },
        ],
        doc,
      );
    }
    return value;
  }

  /** Labels as GitHub takes them: names, or objects with a name; unknown labels are created. */
  private labelNames(value: unknown, doc: string): string[] {
    if (!Array.isArray(value)) {
      throw validationFailed('Label', [{ code: 'invalid', field: 'labels' }], doc);
    }
    const names: string[] = [];
    for (const label of value) {
      const name = typeof label === 'string' ? label : isRecord(label) ? label.name : undefined;
      if (typeof name !== 'string' || name.trim() === '') {
        throw validationFailed('Label', [{ code: 'invalid', field: 'name' }], doc);
      }
      if (!names.some((n) => lower(n) === lower(name))) names.push(name);
    }
    return names;
  }

  private issueJson(repo: Repository, issue: Issue): Record<string, unknown> {
    const repoUrl = `${this.gh.url}/repos/${repo.fullName}`;
    const apiUrl = `${repoUrl}/issues/${issue.number}`;
    const isPr = issue.pull_request !== undefined;
    return {
      url: apiUrl,
      repository_url: repoUrl,
      labels_url: `${apiUrl}/labels{/name}`,
      comments_url: `${apiUrl}/comments`,
      events_url: `${apiUrl}/events`,
      html_url: `https://github.com/${repo.fullName}/${isPr ? 'pull' : 'issues'}/${issue.number}`,
      id: repo.id * 100000 + issue.number,
      node_id: `${isPr ? 'PR' : 'I'}_${stableNumber(`issue:${repo.id}:${issue.number}`, 10)}`,
      number: issue.number,
      title: issue.title,
      user: userJson(issue.user.login),
      labels: issue.labels.map((name) => ({
        id: Number(stableNumber(`label:${repo.id}:${lower(name)}`, 10)),
        node_id: `LA_${stableNumber(`label-node:${repo.id}:${lower(name)}`, 10)}`,
        url: `${repoUrl}/labels/${encodeURIComponent(name)}`,
        name,
        color: 'ededed',
        default: false,
        description: null,
      })),
      state: issue.state,
      locked: false,
      assignee: null,
      assignees: [],
      milestone: null,
      comments: this.comments.filter(
        (c) => lower(c.repository) === lower(repo.fullName) && c.issue_number === issue.number,
      ).length,
      created_at: issue.created_at,
      updated_at: issue.updated_at,
      closed_at: issue.closed_at ?? (issue.state === 'closed' ? issue.updated_at : null),
      author_association: 'NONE',
      active_lock_reason: null,
      body: issue.body === '' ? null : issue.body,
      state_reason: issue.state_reason ?? (issue.state === 'closed' ? 'completed' : null),
      ...(isPr ? { pull_request: issue.pull_request } : {}),
    };
  }

  issueCommentsRoute(
    method: string,
    url: URL,
    fullName: string,
    numberText: string,
    body: unknown,
  ): Reply {
    if (method !== 'GET' && method !== 'POST') throw notFound();
    const doc =
      method === 'GET'
        ? `${COMMENTS_DOCS}#list-issue-comments`
        : `${COMMENTS_DOCS}#create-an-issue-comment`;
    const { repo, issue } = this.issueFor(method, fullName, numberText, doc);

    if (method === 'GET') {
      const since = url.searchParams.get('since');
      const list = this.comments
        .filter(
          (c) => lower(c.repository) === lower(repo.fullName) && c.issue_number === issue.number,
        )
        .filter((c) => since === null || c.updated_at >= since)
        .sort((x, y) => x.created_at.localeCompare(y.created_at) || x.id - y.id);
      const page = this.gh.paginate(list, url);
      return {
        status: 200,
        body: page.items.map((c) => this.commentJson(repo, c)),
        headers: page.headers,
      };
    }

    const input = isRecord(body) ? body : {};
    const text = this.bodyText(input.body, 'IssueComment', doc);
    if (text === undefined || text.trim() === '') {
      throw validationFailed('IssueComment', [{ code: 'missing_field', field: 'body' }], doc);
    }
    const now = timestamp(this.gh.clockOffsetMs);
    const comment: IssueComment = {
      id: 1 + Math.max(1_000_000, ...this.comments.map((c) => c.id)),
      repository: repo.fullName,
      issue_number: issue.number,
      body: text,
      user: { login: this.gh.login },
      created_at: now,
      updated_at: now,
    };
    this.comments.push(comment);
    issue.updated_at = now;
    return {
      status: 201,
      body: this.commentJson(repo, comment),
      headers: { location: `${this.gh.url}/repos/${repo.fullName}/issues/comments/${comment.id}` },
    };
  }

  commentRoute(method: string, fullName: string, idText: string, body: unknown): Reply {
    if (method !== 'GET' && method !== 'PATCH') throw notFound();
    const doc =
      method === 'GET'
        ? `${COMMENTS_DOCS}#get-an-issue-comment`
        : `${COMMENTS_DOCS}#update-an-issue-comment`;
    const repo = this.gh.repo(fullName);
    if (!repo) throw notFound(doc);
    const id = parsePositiveInt(idText);
    const comment = this.comments.find(
      (c) => c.id === id && lower(c.repository) === lower(repo.fullName),
    );
    const onPr = comment
      ? this.findIssue(repo, comment.issue_number)?.pull_request !== undefined
      : false;
    this.requireIssueAccess(method === 'GET' ? 'read' : 'write', onPr, doc);
    if (!comment) throw notFound(doc);
    if (method === 'GET') return { status: 200, body: this.commentJson(repo, comment) };

    const input = isRecord(body) ? body : {};
    const text = this.bodyText(input.body, 'IssueComment', doc);
    if (text === undefined || text.trim() === '') {
      throw validationFailed('IssueComment', [{ code: 'missing_field', field: 'body' }], doc);
    }
    comment.body = text;
    comment.updated_at = timestamp(this.gh.clockOffsetMs);
    return { status: 200, body: this.commentJson(repo, comment) };
  }

  private commentJson(repo: Repository, c: IssueComment): Record<string, unknown> {
    const repoUrl = `${this.gh.url}/repos/${repo.fullName}`;
    const isPr = this.findIssue(repo, c.issue_number)?.pull_request !== undefined;
    return {
      url: `${repoUrl}/issues/comments/${c.id}`,
      html_url: `https://github.com/${repo.fullName}/${isPr ? 'pull' : 'issues'}/${c.issue_number}#issuecomment-${c.id}`,
      issue_url: `${repoUrl}/issues/${c.issue_number}`,
      id: c.id,
      node_id: `IC_${stableNumber(`comment:${c.id}`, 10)}`,
      user: userJson(c.user.login),
      created_at: c.created_at,
      updated_at: c.updated_at,
      author_association: 'NONE',
      // What an app's installation token writes says so; people's comments carry null.
      performed_via_github_app: c.user.login.endsWith('[bot]')
        ? { slug: c.user.login.slice(0, -'[bot]'.length) }
        : null,
      body: c.body,
    };
  }
}
