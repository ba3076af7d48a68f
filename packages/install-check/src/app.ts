// The new app: created by @backstage/create-app as a new user creates one, its yarn pointed at the local
// registry for this product's scope, then changed by the README's install section and nothing else.
import { appendFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { parse, stringify } from 'yaml';
import { run } from './processes.ts';
import { applyPatch } from './readme.ts';
import type { InstallStep } from './readme.ts';

const require = createRequire(import.meta.url);

/** The npm scope of this product's packages. */
export const PACKAGE_SCOPE = 'privatelink-backstage';

/**
 * Creates an app with the pinned @backstage/create-app (without installing: the README's `yarn add` lines
 * install), offline except for loopback.
 *
 * @param appDir - the app's folder (must not exist)
 * @param logFile - where create-app's output goes
 * @param env - the environment of the command
 */
export async function createBackstageApp(appDir: string, logFile: string, env: NodeJS.ProcessEnv): Promise<void> {
  const createAppPackage = require.resolve('@backstage/create-app/package.json');
  const bin = join(dirname(createAppPackage), 'bin', 'backstage-create-app');
  await run(
    process.execPath,
    ['-r', resolve(import.meta.dirname, 'offline.cjs'), bin, '--path', appDir, '--skip-install'],
    { cwd: dirname(appDir), logFile, env: { ...env, BACKSTAGE_APP_NAME: 'privatelink-install-check' } },
  );
}

/** The version of @backstage/create-app that the check runs. */
export function createAppVersion(): string {
  return (require('@backstage/create-app/package.json') as { version: string }).version;
}

/**
 * Points the app's yarn at the local registry for this product's scope, as `npm publish` would have made the
 * packages available from the npm registry. The app's 3-day age gate (`npmMinimalAgeGate` of create-app's
 * `.yarnrc.yml`) would hold back a release in its first three days; the scope is pre-approved here as a
 * just-published release would have to be.
 */
export async function useLocalRegistry(appDir: string, registryUrl: string): Promise<void> {
  const file = join(appDir, '.yarnrc.yml');
  const config = (parse(await readFile(file, 'utf8')) ?? {}) as Record<string, unknown>;
  const host = new URL(registryUrl).hostname;
  config.npmScopes = {
    ...(config.npmScopes as object | undefined),
    [PACKAGE_SCOPE]: { npmRegistryServer: registryUrl },
  };
  config.unsafeHttpWhitelist = [...((config.unsafeHttpWhitelist as string[] | undefined) ?? []), host];
  config.npmPreapprovedPackages = [
    ...((config.npmPreapprovedPackages as string[] | undefined) ?? []),
    `@${PACKAGE_SCOPE}/*`,
  ];
  await writeFile(file, stringify(config));
}

/**
 * Pins every `@backstage/*` package of the app to the release's versions, through `resolutions`, as
 * create-app's yarn.lock seed does. create-app fetches that seed from raw.githubusercontent.com, which the check
 * does not reach; without it, the ranges of create-app's template resolve to packages of two releases (with
 * Backstage 1.55's template in December 2026: `httpRouter.addWebSocketHandler is not a function` at start). The
 * pins are this repository's, kept to the release of `backstage.json` by scripts/align-backstage-release.mjs.
 *
 * @returns how many packages are pinned
 */
export async function pinBackstageRelease(appDir: string, releasePins: Record<string, string>): Promise<number> {
  const file = join(appDir, 'package.json');
  const manifest = JSON.parse(await readFile(file, 'utf8'));
  const pins = Object.fromEntries(Object.entries(releasePins).filter(([name]) => name.startsWith('@backstage/')));
  manifest.resolutions = { ...manifest.resolutions, ...pins };
  await writeFile(file, `${JSON.stringify(manifest, null, 2)}\n`);
  return Object.keys(pins).length;
}

/**
 * Applies one step of the README's install section to the app.
 *
 * @returns what was done, for the report
 */
export async function applyInstallStep(
  appDir: string,
  step: InstallStep,
  options: { logFile: string; env: NodeJS.ProcessEnv },
): Promise<string> {
  switch (step.kind) {
    case 'skip':
      return `not applied: ${step.reason}`;
    case 'run':
      await run('bash', ['-euo', 'pipefail', '-c', step.script], { cwd: appDir, ...options });
      return `ran: ${step.script.replace(/\\\n\s*/g, '').split('\n').join('; ')}`;
    case 'patch': {
      const file = join(appDir, step.file);
      await writeFile(file, applyPatch(await readFile(file, 'utf8'), step.content));
      return `patched ${step.file}`;
    }
    case 'append': {
      const file = join(appDir, step.file);
      await appendFile(file, `\n${step.content}\n`);
      return `appended to ${step.file}`;
    }
    case 'create': {
      const file = join(appDir, step.file);
      await mkdir(dirname(file), { recursive: true });
      await writeFile(file, `${step.content}\n`, { flag: 'wx' });
      return `created ${step.file}`;
    }
    default:
      throw new Error(`unknown step ${JSON.stringify(step satisfies never)}`);
  }
}
