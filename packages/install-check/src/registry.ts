// A package registry on loopback for the packed tarballs, so that the README's `yarn add <name>` lines run as
// written: the new app's yarn asks it for one scope (`npmScopes`) and the npm registry for everything else. It
// answers the two requests yarn makes, a package's metadata and its tarball, as the npm registry does.
import { createHash } from 'node:crypto';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { basename } from 'node:path';
import { promisify } from 'node:util';

/** A tarball as the registry serves it. */
export type PublishedPackage = {
  name: string;
  version: string;
  /** The tarball's path on disk. */
  tarball: string;
  /** The package.json inside the tarball (as `yarn pack` rewrote it). */
  manifest: Record<string, unknown>;
  integrity: string;
  shasum: string;
};

/** A running registry. */
export type LocalRegistry = {
  /** `http://127.0.0.1:<port>` */
  url: string;
  packages: PublishedPackage[];
  /** Request paths in the order they came, for the report. */
  requests: string[];
  close(): Promise<void>;
};

/**
 * Reads a tarball made by `yarn pack` (or `npm pack`): its package.json and the checksums the registry
 * publishes.
 *
 * @param tarball - the tarball's path
 */
export async function readTarball(tarball: string): Promise<PublishedPackage> {
  const { stdout } = await promisify(execFile)('tar', ['-xzOf', tarball, 'package/package.json'], {
    maxBuffer: 16 * 1024 * 1024,
  });
  const manifest = JSON.parse(stdout) as Record<string, unknown>;
  const bytes = await readFile(tarball);
  const name = manifest.name;
  const version = manifest.version;
  if (typeof name !== 'string' || typeof version !== 'string') {
    throw new Error(`${tarball}: package.json has no name or version`);
  }
  return {
    name,
    version,
    tarball,
    manifest,
    integrity: `sha512-${createHash('sha512').update(bytes).digest('base64')}`,
    shasum: createHash('sha1').update(bytes).digest('hex'),
  };
}

/**
 * Starts the registry on a free loopback port.
 *
 * @param tarballs - the packed packages; each name once
 * @param publishedAt - the publish time reported for every version (yarn's age gate reads it)
 */
export async function startLocalRegistry(
  tarballs: string[],
  publishedAt: Date = new Date(),
): Promise<LocalRegistry> {
  const packages = await Promise.all(tarballs.map(readTarball));
  const byName = new Map<string, PublishedPackage>();
  for (const p of packages) {
    if (byName.has(p.name)) throw new Error(`${p.name} is packed twice`);
    byName.set(p.name, p);
  }
  const byFile = new Map(packages.map(p => [basename(p.tarball), p]));
  const requests: string[] = [];
  let url = '';

  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://registry').pathname);
    requests.push(`${req.method} ${path}`);
    const send = (status: number, body: string | Buffer, type = 'application/json') => {
      res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
      res.end(body);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      send(405, JSON.stringify({ error: 'method not allowed' }));
      return;
    }
    const tarball = /^\/-\/tarballs\/([^/]+\.tgz)$/.exec(path);
    if (tarball) {
      const p = byFile.get(tarball[1]);
      if (!p) {
        send(404, JSON.stringify({ error: 'not found' }));
        return;
      }
      readFile(p.tarball).then(
        bytes => send(200, bytes, 'application/octet-stream'),
        () => send(500, JSON.stringify({ error: 'unreadable tarball' })),
      );
      return;
    }
    const p = byName.get(path.slice(1));
    if (!p) {
      send(404, JSON.stringify({ error: 'not found' }));
      return;
    }
    const time = publishedAt.toISOString();
    send(
      200,
      JSON.stringify({
        name: p.name,
        'dist-tags': { latest: p.version },
        versions: {
          [p.version]: {
            ...p.manifest,
            dist: {
              tarball: `${url}/-/tarballs/${encodeURIComponent(basename(p.tarball))}`,
              integrity: p.integrity,
              shasum: p.shasum,
            },
          },
        },
        time: { created: time, modified: time, [p.version]: time },
      }),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    packages,
    requests,
    close: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
