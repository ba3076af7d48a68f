import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalRegistry } from './registry';
import type { LocalRegistry } from './registry';

/** A tarball laid out as `yarn pack` makes them: everything under `package/`. */
function makeTarball(dir: string, manifest: Record<string, unknown>, file: string): string {
  const root = mkdtempSync(join(dir, 'pkg-'));
  mkdirSync(join(root, 'package'));
  writeFileSync(join(root, 'package', 'package.json'), JSON.stringify(manifest));
  writeFileSync(join(root, 'package', 'index.js'), 'module.exports = 1;\n');
  const tarball = join(dir, file);
  execFileSync('tar', ['-czf', tarball, '-C', root, 'package']);
  return tarball;
}

describe('startLocalRegistry', () => {
  let dir: string;
  let registry: LocalRegistry | undefined;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'registry-test-'));
  });
  afterEach(async () => {
    await registry?.close();
    registry = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  it("answers a package's metadata as the npm registry does, and its tarball with the published checksum", async () => {
    const tarball = makeTarball(
      dir,
      { name: '@scope/plugin-a', version: '1.2.3', dependencies: { '@scope/lib': '^1.0.0' } },
      'scope-plugin-a-1.2.3.tgz',
    );
    const publishedAt = new Date('2026-01-02T03:04:05.000Z');
    registry = await startLocalRegistry([tarball], publishedAt);

    const metadata = await fetch(`${registry.url}/@scope%2fplugin-a`);
    expect(metadata.status).toBe(200);
    const body = await metadata.json();
    expect(body).toMatchObject({
      name: '@scope/plugin-a',
      'dist-tags': { latest: '1.2.3' },
      time: { '1.2.3': '2026-01-02T03:04:05.000Z' },
      versions: { '1.2.3': { name: '@scope/plugin-a', dependencies: { '@scope/lib': '^1.0.0' } } },
    });
    const { dist } = body.versions['1.2.3'];
    const bytes = readFileSync(tarball);
    expect(dist.integrity).toBe(`sha512-${createHash('sha512').update(bytes).digest('base64')}`);
    expect(dist.shasum).toBe(createHash('sha1').update(bytes).digest('hex'));

    const download = await fetch(dist.tarball);
    expect(download.status).toBe(200);
    expect(Buffer.from(await download.arrayBuffer()).equals(bytes)).toBe(true);
    expect(registry.requests).toEqual([
      'GET /@scope/plugin-a',
      'GET /-/tarballs/scope-plugin-a-1.2.3.tgz',
    ]);
  });

  it('answers 404 for another package or tarball, and 405 for a publish', async () => {
    registry = await startLocalRegistry([makeTarball(dir, { name: 'a', version: '1.0.0' }, 'a-1.0.0.tgz')]);
    expect((await fetch(`${registry.url}/b`)).status).toBe(404);
    expect((await fetch(`${registry.url}/-/tarballs/b-1.0.0.tgz`)).status).toBe(404);
    expect((await fetch(`${registry.url}/a`, { method: 'PUT', body: '{}' })).status).toBe(405);
  });

  it('refuses a package packed twice, and a tarball without a name', async () => {
    const one = makeTarball(dir, { name: 'a', version: '1.0.0' }, 'a-1.tgz');
    const two = makeTarball(dir, { name: 'a', version: '2.0.0' }, 'a-2.tgz');
    await expect(startLocalRegistry([one, two])).rejects.toThrow('a is packed twice');
    const nameless = makeTarball(dir, { version: '1.0.0' }, 'x.tgz');
    await expect(startLocalRegistry([nameless])).rejects.toThrow(/has no name or version/);
  });
});
