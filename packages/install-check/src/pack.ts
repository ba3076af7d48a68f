// The publishable packages of the repository, packed with `yarn pack` as `npm publish` would upload them, and
// checked: every file that the package's entry points name is inside its tarball.
import { execFile } from 'node:child_process';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { run } from './processes.ts';

/** A packed package. */
export type PackedPackage = { name: string; version: string; tarball: string; bytes: number; files: number };

/** The repository's packages that are published (not `private`), in folder order. */
export async function publishablePackages(root: string): Promise<{ name: string; dir: string }[]> {
  const found: { name: string; dir: string }[] = [];
  for (const folder of ['plugins', 'packages']) {
    for (const entry of (await readdir(join(root, folder), { withFileTypes: true })).sort((a, b) =>
      a.name.localeCompare(b.name),
    )) {
      if (!entry.isDirectory()) continue;
      const dir = join(root, folder, entry.name);
      const manifest = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8').catch(() => '{}'));
      if (manifest.name && !manifest.private) found.push({ name: manifest.name, dir });
    }
  }
  return found;
}

/** The files that a package.json's entry points name (main, module, types, exports, configSchema). */
export function entryFiles(manifest: Record<string, any>): string[] {
  const files = new Set<string>();
  // Files, not conditions' other values (e.g. `"backstage": "@backstage/BackendFeature"`) or patterns.
  const isFile = (value: string) => /\.(c|m)?js$|\.d\.ts$|\.json$/.test(value) && !value.includes('*');
  const add = (value: unknown) => {
    if (typeof value === 'string' && isFile(value)) files.add(value.replace(/^\.\//, ''));
    else if (value && typeof value === 'object') Object.values(value).forEach(add);
  };
  for (const key of ['main', 'module', 'types', 'exports', 'configSchema']) add(manifest[key]);
  return [...files].filter(f => f !== 'package.json');
}

/**
 * Packs one package (its `prepack` script points the manifest at `dist/`) and checks the tarball.
 *
 * @throws when a file that the packed manifest names is not in the tarball (e.g. the package was not built)
 */
export async function packPackage(
  pkg: { name: string; dir: string },
  outDir: string,
  options: { logFile: string; env: NodeJS.ProcessEnv },
): Promise<PackedPackage> {
  const { version } = JSON.parse(await readFile(join(pkg.dir, 'package.json'), 'utf8'));
  const tarball = join(outDir, `${pkg.name.replace(/^@/, '').replace('/', '-')}-${version}.tgz`);
  await run('yarn', ['pack', '--out', tarball], { cwd: pkg.dir, ...options });
  const exec = promisify(execFile);
  const listing = (await exec('tar', ['-tzf', tarball], { maxBuffer: 64 * 1024 * 1024 })).stdout
    .split('\n')
    .filter(Boolean)
    .map(f => f.replace(/^package\//, ''));
  const manifest = JSON.parse(
    (await exec('tar', ['-xzOf', tarball, 'package/package.json'], { maxBuffer: 16 * 1024 * 1024 })).stdout,
  );
  const inside = new Set(listing);
  const missing = entryFiles(manifest).filter(f => !inside.has(f));
  if (missing.length > 0) {
    throw new Error(`${pkg.name}: the tarball lacks ${missing.join(', ')} (was the package built?)`);
  }
  return { name: pkg.name, version, tarball, bytes: (await stat(tarball)).size, files: listing.length };
}
