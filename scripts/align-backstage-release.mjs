#!/usr/bin/env node
// Pins every @backstage/* package in yarn.lock to the version it had in one Backstage release, through root
// package.json `resolutions`, so that a fresh install can never mix two releases (a mix shows up as e.g.
// `addWebSocketHandler is not a function` at backend start). `backstage-cli versions:bump` does this from the
// release manifests, which live outside the npm registry; this script derives the same set from the npm
// registry's publish times: for each package, the newest stable version published before the release cut-off.
//
// Usage: node scripts/align-backstage-release.mjs   (then `yarn install`; repeat until it reports no change)
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const backstageJson = JSON.parse(readFileSync(resolve(root, 'backstage.json'), 'utf8'));
// The cut-off of the release named in backstage.json: the publish time of its @backstage/create-app.
const CUTOFFS = { '1.55.0': '2026-09-18T03:00:00Z' };
const cutoff = CUTOFFS[backstageJson.version];
if (!cutoff) throw new Error(`no cut-off known for Backstage ${backstageJson.version}`);

const registry = process.env.npm_config_registry ?? 'https://registry.npmjs.org/';
const lock = readFileSync(resolve(root, 'yarn.lock'), 'utf8');
const names = new Set();
for (const m of lock.matchAll(/^"?(@backstage\/[a-z0-9-]+)@/gm)) names.add(m[1]);
const pkgPath = resolve(root, 'package.json');
const pkg = JSON.parse(readFileSync(pkgPath, 'utf8'));
for (const name of Object.keys(pkg.resolutions ?? {})) if (name.startsWith('@backstage/')) names.add(name);

const isStable = v => /^\d+\.\d+\.\d+$/.test(v);
const cmp = (a, b) => {
  const pa = a.split('.').map(Number), pb = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) if (pa[i] !== pb[i]) return pa[i] - pb[i];
  return 0;
};

async function versionAt(name) {
  const res = await fetch(`${registry.replace(/\/$/, '')}/${name.replace('/', '%2f')}`);
  if (!res.ok) throw new Error(`${name}: registry answered ${res.status}`);
  const { time } = await res.json();
  const candidates = Object.entries(time)
    .filter(([v, t]) => isStable(v) && t <= cutoff)
    .map(([v]) => v)
    .sort(cmp);
  return candidates.at(-1);
}

const queue = [...names].sort();
const pins = {};
await Promise.all(
  Array.from({ length: 8 }, async () => {
    while (queue.length) {
      const name = queue.shift();
      const version = await versionAt(name);
      if (version) pins[name] = version;
      else console.warn(`${name}: nothing published before ${cutoff}, left unpinned`);
    }
  }),
);

const others = Object.fromEntries(Object.entries(pkg.resolutions ?? {}).filter(([n]) => !n.startsWith('@backstage/')));
const next = { ...others, ...Object.fromEntries(Object.entries(pins).sort(([a], [b]) => a.localeCompare(b))) };
const changed = JSON.stringify(next) !== JSON.stringify(pkg.resolutions);
pkg.resolutions = next;
writeFileSync(pkgPath, `${JSON.stringify(pkg, null, 2)}\n`);

// Workspace ranges follow the pins, so that the packages declare what they are built and tested against.
for (const dir of ['packages', 'plugins']) {
  for (const entry of readdirSync(resolve(root, dir), { withFileTypes: true })) {
    const file = resolve(root, dir, entry.name, 'package.json');
    if (!entry.isDirectory() || !existsSync(file)) continue;
    const ws = JSON.parse(readFileSync(file, 'utf8'));
    for (const field of ['dependencies', 'devDependencies', 'peerDependencies']) {
      for (const name of Object.keys(ws[field] ?? {})) {
        if (pins[name] && !ws[field][name].startsWith('workspace:')) ws[field][name] = `^${pins[name]}`;
      }
    }
    writeFileSync(file, `${JSON.stringify(ws, null, 2)}\n`);
  }
}
console.log(`${Object.keys(pins).length} @backstage packages pinned to Backstage ${backstageJson.version}${changed ? ' (changed)' : ' (no change)'}`);
