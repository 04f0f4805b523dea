// The release workflow's guards, runnable before tagging:
//
//   npx tsx scripts/release-check.ts v1.2.3 [--notes-file FILE]
//
// Fails (exit 1, one line per problem) unless the tag is vX.Y.Z, package.json's version is X.Y.Z
// (and the package is publishable, its repository.url naming GITHUB_REPOSITORY when that is set),
// CHANGELOG.md has a non-empty "## [X.Y.Z]" entry, and a fresh `npm run build` leaves the
// committed dist/ unchanged. With --notes-file, writes that CHANGELOG entry there (the release
// notes). The tag comes from the argument or GITHUB_REF_NAME.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const TAG = /^v(\d+\.\d+\.\d+)$/;

/** The body of CHANGELOG's `## [version]` section, trimmed; undefined when there is none. */
function changelogEntry(changelog: string, version: string): string | undefined {
  const lines = changelog.split('\n');
  const heading = new RegExp(`^## \\[${version.replace(/\./g, '\\.')}\\](\\s|$)`);
  const start = lines.findIndex((line) => heading.test(line));
  if (start === -1) return undefined;
  const end = lines.findIndex((line, i) => i > start && /^## /.test(line));
  return lines
    .slice(start + 1, end === -1 ? undefined : end)
    .filter((line) => !/^\[[^\]]+\]: /.test(line)) // link references at the end of the file
    .join('\n')
    .trim();
}

/** The reasons the tag may not be released from `root`, cheapest checks first. */
function releaseProblems(root: string, tag: string): string[] {
  const problems: string[] = [];
  const version = TAG.exec(tag)?.[1];
  if (!version) return [`tag "${tag}" is not vMAJOR.MINOR.PATCH (e.g. v1.2.3)`];

  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    version?: string;
    private?: boolean;
    repository?: string | { url?: string };
  };
  if (pkg.version !== version)
    problems.push(
      `package.json's version is ${pkg.version ?? '(none)'}, not ${version} as the tag ${tag} says: set it, commit, and tag that commit`,
    );
  if (pkg.private === true)
    problems.push('package.json says "private": true, so npm would refuse to publish the CLI');
  // npm's trusted publishing accepts the provenance only when repository.url names this repository.
  const repository = process.env.GITHUB_REPOSITORY;
  const url = typeof pkg.repository === 'string' ? pkg.repository : (pkg.repository?.url ?? '');
  if (repository && !url.toLowerCase().includes(`github.com/${repository.toLowerCase()}`))
    problems.push(
      `package.json's repository.url (${url || 'none'}) does not name github.com/${repository}, as npm's trusted publishing requires`,
    );

  let changelog = '';
  try {
    changelog = readFileSync(join(root, 'CHANGELOG.md'), 'utf8');
  } catch {
    problems.push('CHANGELOG.md is missing');
  }
  const entry = changelogEntry(changelog, version);
  if (changelog && entry === undefined)
    problems.push(`CHANGELOG.md has no "## [${version}]" entry: move Unreleased into one`);
  else if (entry === '') problems.push(`CHANGELOG.md's "## [${version}]" entry is empty`);

  problems.push(...distProblems(root));
  return problems;
}

/** dist/ is what GitHub runs for `uses: …@tag`: it must be what src/ builds. */
function distProblems(root: string): string[] {
  const build = spawnSync('npm', ['run', '-s', 'build'], { cwd: root, encoding: 'utf8' });
  if (build.status !== 0)
    return [`npm run build failed:\n${(build.stdout + build.stderr).trim().slice(-2_000)}`];
  const changed = execFileSync('git', ['status', '--porcelain', '--', 'dist'], {
    cwd: root,
    encoding: 'utf8',
  }).trim();
  return changed
    ? [`dist/ is not what src/ builds: run npm run build and commit dist/\n${changed}`]
    : [];
}

function main(argv: string[]): number {
  let tag = process.env.GITHUB_REF_NAME ?? '';
  let notesFile: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--notes-file') notesFile = argv[++i];
    else tag = argv[i]!;
  }
  const root = process.cwd();
  const problems = releaseProblems(root, tag);
  for (const problem of problems) {
    const [first, ...rest] = problem.split('\n');
    console.log([`::error::release ${tag}: ${first}`, ...rest].join('\n'));
  }
  if (problems.length) return 1;
  const version = TAG.exec(tag)![1]!;
  if (notesFile) {
    const changelog = readFileSync(join(root, 'CHANGELOG.md'), 'utf8');
    writeFileSync(notesFile, `${changelogEntry(changelog, version)}\n`);
  }
  console.log(`release ${tag}: the tag, package.json, CHANGELOG.md and dist/ agree`);
  return 0;
}

process.exitCode = main(process.argv.slice(2));
