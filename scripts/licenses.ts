import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Writes dist/licenses.txt: name, version, license and license text of every package that the
 * bundles contain. ncc's own `--license` misses packages that are bundled as ES modules
 * (@actions/core, yaml, undici), so the list is read from the bundles' source maps instead.
 */
const DIST = 'dist';

function bundledPackages(dir: string, found = new Set<string>()): Set<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) bundledPackages(path, found);
    else if (entry.name.endsWith('.js.map')) {
      const { sources } = JSON.parse(readFileSync(path, 'utf8')) as { sources: string[] };
      for (const source of sources) {
        const dirs = source.match(/node_modules\/(?:@[^/]+\/)?[^/]+/g);
        if (dirs) found.add(dirs.join('/'));
      }
    }
  }
  return found;
}

function licenseEntry(packageDir: string): string {
  const { name, version, license } = JSON.parse(
    readFileSync(join(packageDir, 'package.json'), 'utf8'),
  ) as { name: string; version: string; license?: string };
  const file = readdirSync(packageDir).find((f) => /^(licen[cs]e|copying)(\.|$)/i.test(f));
  const text = file ? readFileSync(join(packageDir, file), 'utf8').trim() : '(no license file)';
  return `${name}@${version}\n${license ?? 'UNKNOWN'}\n${text}\n`;
}

const entries = new Map<string, string>();
for (const packageDir of bundledPackages(DIST)) {
  if (!existsSync(join(packageDir, 'package.json'))) continue;
  const entry = licenseEntry(packageDir);
  entries.set(entry.slice(0, entry.indexOf('\n')), entry);
}
const sorted = [...entries.keys()].sort().map((key) => entries.get(key)!);
writeFileSync(join(DIST, 'licenses.txt'), sorted.join('\n'));
