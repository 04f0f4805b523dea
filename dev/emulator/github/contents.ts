import { createHash } from 'node:crypto';
import { ApiError, DOCS, lower, notFound, type GitHubState, type Reply } from './core.js';

// File contents at a commit (`GET /repos/{owner}/{repo}/contents/{path}?ref=`), from the
// commits a test records with addCommit.

/**
 * The raw media type as the Accept header asks for it (`application/vnd.github.raw+json`,
 * `application/vnd.github.raw`, the older `application/vnd.github.v3.raw`).
 */
const RAW = /\bapplication\/vnd\.github(\.v3)?\.raw(\+json)?\b/i;

export class Commits {
  /** 'owner/name' (lower-cased) -> commit sha -> path -> file content */
  private readonly commits = new Map<string, Map<string, Map<string, string>>>();

  constructor(private readonly gh: GitHubState) {}

  /**
   * Records a commit of `repository` holding these files (path -> content); the contents API
   * answers from it for `?ref=<sha>`. A path not listed is a 404 at that commit.
   */
  add(repository: string, sha: string, files: Record<string, string>): void {
    if (!this.gh.repos.has(lower(repository))) throw new Error(`no repository ${repository}`);
    const commits = this.commits.get(lower(repository)) ?? new Map<string, Map<string, string>>();
    commits.set(sha, new Map(Object.entries(files)));
    this.commits.set(lower(repository), commits);
  }

  /**
   * GET a file's contents at a commit, as GitHub answers it: base64 content in lines of 60
   * characters (empty with encoding 'none' past 1 MB), the blob sha, a directory as a list of
   * entries; 404 'No commit found for the ref' for an unknown ref, 404 for a missing path, 403
   * without the contents permission. With the raw media type in `accept`, a file is its bytes
   * (of any size up to GitHub's 100 MB), typed as GitHub types them (recorded for
   * `application/vnd.github.v3.raw`: `application/vnd.github.v3.raw; charset=utf-8`, media type
   * `github.v3; param=raw`); a directory stays JSON, as GitHub's custom media types are for
   * files and symbolic links only.
   */
  route(url: URL, fullName: string, path: string, accept?: string): Reply {
    const doc = `${DOCS}/repos/contents#get-repository-content`;
    const repo = this.gh.repo(fullName);
    if (!repo) throw notFound(doc);
    this.gh.require('read', ['contents'], doc);
    const commits = this.commits.get(lower(repo.fullName));
    const ref = url.searchParams.get('ref');
    if (ref === null) throw notFound(doc); // the emulator keeps no default branch
    const files = commits?.get(ref);
    if (!files)
      throw new ApiError(404, `No commit found for the ref ${ref}`, { documentation_url: doc });
    const clean = path.replace(/^\/+|\/+$/g, '');
    const base = `${this.gh.url}/repos/${repo.fullName}/contents`;
    const content = files.get(clean);
    if (content === undefined) {
      const prefix = `${clean}/`;
      const inside = [...files.keys()].filter((p) => clean === '' || p.startsWith(prefix));
      if (inside.length === 0) throw notFound(doc);
      const names = new Set(
        inside.map((p) => p.slice(clean === '' ? 0 : prefix.length).split('/')[0]!),
      );
      return {
        status: 200,
        body: [...names].sort().map((name) => {
          const entry = clean === '' ? name : `${clean}/${name}`;
          return {
            type: files.has(entry) ? 'file' : 'dir',
            name,
            path: entry,
            url: `${base}/${entry}?ref=${ref}`,
          };
        }),
      };
    }
    const bytes = Buffer.from(content, 'utf8');
    const raw = RAW.exec(accept ?? '');
    if (raw) {
      const version = raw[1] ?? '';
      return {
        status: 200,
        raw: bytes,
        headers: {
          'content-type': `application/vnd.github${version}.raw; charset=utf-8`,
          'x-github-media-type': `github.v3; param=raw${raw[2] ? '; format=json' : ''}`,
        },
      };
    }
    const sha = createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
    const large = bytes.length > 1024 * 1024;
    const encoded = large
      ? ''
      : (bytes.toString('base64').match(/.{1,60}/g) ?? []).join('\n') + '\n';
    return {
      status: 200,
      body: {
        type: 'file',
        encoding: large ? 'none' : 'base64',
        size: bytes.length,
        name: clean.split('/').pop(),
        path: clean,
        content: encoded,
        sha,
        url: `${base}/${clean}?ref=${ref}`,
        html_url: `https://github.com/${repo.fullName}/blob/${ref}/${clean}`,
        download_url: null,
      },
    };
  }
}
