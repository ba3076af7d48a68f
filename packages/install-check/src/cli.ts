// The install check: a new user's path, automated. Run with plain `node` (Node 22 strips the types):
//
//   node packages/install-check/src/cli.ts [--results FILE] [--keep]
//
// It packs the publishable packages (built first by `backstage-cli repo build --all`), serves them from a
// registry on loopback, creates a new app with @backstage/create-app, applies the README's install section to
// it and nothing else, type-checks and builds it, starts its backend against moto with the emulator layer and
// the demo organisation, and checks the API, the catalog, the scaffolder's actions and the card in Chromium.
// Every check is one line of the report and one entry of the results file (read by scripts/test.sh).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { randomBytes } from 'node:crypto';
import { parse } from 'yaml';
import { seedDemoOrg, startMoto } from '@privatelink-backstage/dev-aws';
import type { MotoServer } from '@privatelink-backstage/dev-aws';
import {
  applyInstallStep,
  createAppVersion,
  createBackstageApp,
  pinBackstageRelease,
  useLocalRegistry,
} from './app.ts';
import { backendClient, checkCardInBrowser, scaffolderActionIds, syncedServices, waitUntil } from './checks.ts';
import type { ExpectedService, SyncedService } from './checks.ts';
import { packPackage, publishablePackages } from './pack.ts';
import type { PackedPackage } from './pack.ts';
import { run, start } from './processes.ts';
import type { Service } from './processes.ts';
import { parseInstallSection } from './readme.ts';
import { startLocalRegistry } from './registry.ts';
import type { LocalRegistry } from './registry.ts';

const ROOT = resolve(import.meta.dirname, '../../..');

type CheckResult = { name: string; ok: boolean; ms: number; detail: string };

const { values: args } = parseArgs({
  options: { results: { type: 'string' }, keep: { type: 'boolean', default: false } },
});

const results: CheckResult[] = [];
let failedAt: string | undefined;

/** Runs one check unless an earlier one failed; records its outcome and time. */
async function check<T>(name: string, body: () => Promise<{ value: T; detail: string }>): Promise<T | undefined> {
  if (failedAt) {
    results.push({ name, ok: false, ms: 0, detail: `not run: "${failedAt}" failed` });
    process.stdout.write(`  ✗ ${name}: not run\n`);
    return undefined;
  }
  const started = Date.now();
  process.stdout.write(`  … ${name}\n`);
  try {
    const { value, detail } = await body();
    const ms = Date.now() - started;
    results.push({ name, ok: true, ms, detail });
    process.stdout.write(`  ✓ ${name} (${(ms / 1000).toFixed(1)} s): ${detail}\n`);
    return value;
  } catch (error) {
    const ms = Date.now() - started;
    const detail = error instanceof Error ? error.message : String(error);
    results.push({ name, ok: false, ms, detail });
    failedAt = name;
    process.stdout.write(`  ✗ ${name} (${(ms / 1000).toFixed(1)} s): ${detail}\n`);
    return undefined;
  }
}

/** The environment of the new app's commands: this repository's yarn variables must not leak into them. */
function appEnvironment(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(
      ([key]) => !/^(npm_|yarn_|berry_)/i.test(key) && key !== 'PROJECT_CWD' && key !== 'INIT_CWD',
    ),
  );
  // Native modules (better-sqlite3) build against the running Node's headers, not headers from the internet.
  const nodeDir = resolve(dirname(process.execPath), '..');
  if (existsSync(join(nodeDir, 'include', 'node', 'node.h'))) env.npm_config_nodedir = nodeDir;
  return { ...env, ...extra };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>(r => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as AddressInfo;
  await new Promise(r => server.close(r));
  return port;
}

/**
 * The scaffolder actions that the installed scaffolder module's README (in its tarball, as npm shows it)
 * documents: the check holds the running app to what the package promises.
 */
async function documentedActionIds(appDir: string): Promise<string[]> {
  const readme = await readFile(
    join(appDir, 'node_modules/@privatelink-backstage/plugin-scaffolder-backend-module-privatelink/README.md'),
    'utf8',
  );
  const ids = [...new Set([...readme.matchAll(/aws:privatelink:[a-z-]+:[a-z-]+/g)].map(m => m[0]))].sort();
  if (ids.length === 0) throw new Error("the scaffolder module's README documents no aws:privatelink:* action");
  return ids;
}

function chromiumPath(): string | undefined {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  for (const name of ['chromium', 'chromium-browser', 'google-chrome']) {
    try {
      return execFileSync('bash', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim() || undefined;
    } catch {
      // not installed under this name
    }
  }
  return undefined;
}

/**
 * The backend's own report of a failed start: `backstage-cli package start` keeps watching files after the
 * backend process gave up, so the check reads the log rather than waiting for an exit.
 */
async function startupFailure(logFile: string): Promise<string | undefined> {
  const log = await readFile(logFile, 'utf8').catch(() => '');
  const line = log.split('\n').find(l => l.includes('Backend startup failed') || l.includes('BackendStartupError'));
  // Without the terminal's colour codes (ESC [ … m).
  const escape = String.fromCharCode(27);
  return line ? line.split(escape).map(part => part.replace(/^\[[0-9;]*m/, '')).join('').slice(0, 600) : undefined;
}

const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

async function main(): Promise<number> {
  const started = Date.now();
  const work = await mkdtemp(join(tmpdir(), 'privatelink-install-check-'));
  const logs = join(work, 'logs');
  const packsDir = join(work, 'packs');
  const appDir = join(work, 'app');
  await mkdir(logs);
  await mkdir(packsDir);
  process.stdout.write(`install check in ${work}\n`);

  let registry: LocalRegistry | undefined;
  let moto: MotoServer | undefined;
  let backend: Service | undefined;
  const stopAll = async () => {
    await backend?.stop();
    await moto?.stop();
    await registry?.close();
  };
  // Interrupted (Ctrl-C, a CI timeout): the backend, its watcher and moto go too.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      process.stdout.write(`${signal}: stopping the new app's backend and moto\n`);
      stopAll().finally(() => process.exit(130));
    });
  }
  const readme = await readFile(join(ROOT, 'README.md'), 'utf8');
  try {
    const steps = await check('the README install section parses', async () => {
      const parsed = parseInstallSection(readme);
      const applied = parsed.filter(s => s.kind !== 'skip').length;
      if (applied === 0) throw new Error('the install section has no step to apply');
      return { value: parsed, detail: `${applied} steps to apply, ${parsed.length - applied} shown only` };
    });

    const packed = await check('yarn pack of every published package', async () => {
      const packages = await publishablePackages(ROOT);
      const out: PackedPackage[] = [];
      for (const pkg of packages) {
        out.push(await packPackage(pkg, packsDir, { logFile: join(logs, 'pack.log'), env: process.env }));
      }
      return {
        value: out,
        detail: out.map(p => `${p.name}@${p.version} ${kib(p.bytes)} (${p.files} files)`).join('; '),
      };
    });

    registry = await check('a registry on loopback serves the tarballs', async () => {
      const r = await startLocalRegistry(packed!.map(p => p.tarball));
      const probe = await fetch(`${r.url}/${encodeURIComponent(r.packages[0].name)}`);
      if (probe.status !== 200) throw new Error(`the registry answered ${probe.status}`);
      return { value: r, detail: `${r.url}, ${r.packages.length} packages` };
    });

    await check('@backstage/create-app creates a new app', async () => {
      const env = appEnvironment({});
      await createBackstageApp(appDir, join(logs, 'create-app.log'), env);
      await useLocalRegistry(appDir, registry!.url);
      const { resolutions } = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8'));
      const pinned = await pinBackstageRelease(appDir, resolutions);
      const backstage = JSON.parse(await readFile(join(appDir, 'backstage.json'), 'utf8'));
      const ours = JSON.parse(await readFile(join(ROOT, 'backstage.json'), 'utf8'));
      if (backstage.version !== ours.version) {
        throw new Error(`create-app made a Backstage ${backstage.version} app; this repository is ${ours.version}`);
      }
      return {
        value: true,
        detail: `create-app ${createAppVersion()}, Backstage ${backstage.version} (${pinned} @backstage/* packages pinned to it, as create-app's yarn.lock seed would)`,
      };
    });

    await check("the README's install section applies", async () => {
      const env = appEnvironment({});
      const done: string[] = [];
      for (const step of steps!) {
        done.push(await applyInstallStep(appDir, step, { logFile: join(logs, 'install.log'), env }));
      }
      const fetched = registry!.requests.filter(r => r.includes('/-/tarballs/')).length;
      return { value: true, detail: `${done.join(' | ')} (${fetched} tarballs fetched from the registry)` };
    });

    await check('the app type-checks (yarn tsc)', async () => {
      await run('yarn', ['tsc'], { cwd: appDir, logFile: join(logs, 'tsc.log'), env: appEnvironment({}) });
      return { value: true, detail: 'no errors' };
    });

    await check('the frontend builds (yarn build in packages/app)', async () => {
      await run('yarn', ['build'], {
        cwd: join(appDir, 'packages/app'),
        logFile: join(logs, 'app-build.log'),
        env: appEnvironment({}),
      });
      return { value: true, detail: 'packages/app/dist' };
    });

    const port = await freePort();
    const baseUrl = `http://127.0.0.1:${port}`;
    const token = randomBytes(24).toString('base64url');
    const client = backendClient(baseUrl, token);

    const expected = await check('moto with the emulator layer, seeded with the demo organisation', async () => {
      moto = await startMoto({});
      const seed = await seedDemoOrg({ endpoint: moto.endpoint });
      const appended = steps!.flatMap(s => (s.kind === 'append' && s.file === 'app-config.yaml' ? [s.content] : []));
      const config = parse(appended.join('\n')) ?? {};
      const accounts = new Set<string>(
        ((config.privatelink?.accounts ?? []) as { accountId: string }[]).map(a => a.accountId),
      );
      if (accounts.size === 0) throw new Error("the README's configuration names no account");
      const services: ExpectedService[] = seed.services.filter(s => accounts.has(s.accountId));
      if (services.length === 0) throw new Error("the demo organisation has no service in the README's accounts");
      return {
        value: services,
        detail: `${moto.endpoint}; ${services.length} services in the README's ${accounts.size} accounts`,
      };
    });

    await check("the app's backend starts", async () => {
      // The check's own layer on top of the README's configuration: where the app listens, a token for the
      // check's requests, and AWS at the emulator.
      const checkConfig = join(appDir, 'app-config.install-check.yaml');
      await writeFile(
        checkConfig,
        JSON.stringify({
          app: { baseUrl },
          backend: {
            baseUrl,
            listen: { port, host: '127.0.0.1' },
            cors: { origin: baseUrl },
            auth: { externalAccess: [{ type: 'static', options: { token, subject: 'install-check' } }] },
          },
          privatelink: {
            endpoint: moto!.endpoint,
            emulator: true,
            sync: {
              enabled: true,
              schedule: { frequency: { minutes: 5 }, timeout: { minutes: 2 }, initialDelay: { seconds: 1 } },
            },
          },
        }),
      );
      backend = start(
        'yarn',
        ['start', '--config', join(appDir, 'app-config.yaml'), '--config', checkConfig],
        {
          cwd: join(appDir, 'packages/backend'),
          logFile: join(logs, 'backend.log'),
          env: appEnvironment({
            AWS_ACCESS_KEY_ID: 'testing',
            AWS_SECRET_ACCESS_KEY: 'testing',
            AWS_REGION: 'us-east-1',
            AWS_EC2_METADATA_DISABLED: 'true',
            // The STS client of @backstage/integration-aws-node (role assumption) goes to moto as well.
            AWS_ENDPOINT_URL: moto!.endpoint,
          }),
        },
      );
      await waitUntil(
        'GET /.backstage/health/v1/readiness',
        async () => ((await client.get('/.backstage/health/v1/readiness')).status === 200 ? true : undefined),
        { timeoutMs: 180_000, exited: backend.exited, failed: () => startupFailure(join(logs, 'backend.log')) },
      );
      return { value: true, detail: baseUrl };
    });

    await check('GET /api/privatelink/health', async () => {
      const { status, body } = await client.get('/api/privatelink/health');
      if (status !== 200) throw new Error(`answered ${status}: ${JSON.stringify(body)}`);
      return { value: true, detail: `200 ${JSON.stringify(body)}` };
    });

    const synced = await check("the sync fills the app's catalog", async () => {
      const t0 = Date.now();
      const services = await waitUntil('every seeded service in the catalog', () => syncedServices(client, expected!), {
        timeoutMs: 120_000,
        exited: backend!.exited,
        failed: () => startupFailure(join(logs, 'backend.log')),
      });
      return {
        value: services,
        detail: `${expected!.length} of ${expected!.length} services as vpc-endpoint-service Resources after ${
          Date.now() - t0
        } ms`,
      };
    });

    await check("the scaffolder module's documented actions are in /api/scaffolder/v2/actions", async () => {
      const want = await documentedActionIds(appDir);
      const have = new Set(await scaffolderActionIds(client));
      const missing = want.filter(id => !have.has(id));
      if (missing.length > 0) throw new Error(`missing ${missing.join(', ')}`);
      return { value: true, detail: `${want.length} actions: ${want.join(', ')}` };
    });

    await check('the frontend discovers the plugin and shows the card (headless Chromium)', async () => {
      const service = synced!.find(s => s.serviceId === expected![0].serviceId) as SyncedService;
      const detail = await checkCardInBrowser({
        appUrl: baseUrl,
        service,
        executablePath: chromiumPath(),
        screenshot: join(logs, 'card.png'),
      });
      return { value: true, detail };
    });
  } finally {
    await stopAll();
  }

  const passed = results.filter(r => r.ok).length;
  const failed = results.length - passed;
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  process.stdout.write(`install check: ${passed} passed, ${failed} failed in ${seconds} s\n`);
  if (args.results) {
    await writeFile(
      args.results,
      JSON.stringify({ passed, failed, seconds: Number(seconds), work, checks: results }, null, 2),
    );
  }
  if (failed === 0 && !args.keep) {
    await rm(work, { recursive: true, force: true });
  } else {
    process.stdout.write(`the app, its logs and the tarballs are kept in ${work}\n`);
  }
  return failed === 0 ? 0 : 1;
}

main().then(
  code => {
    process.exitCode = code;
  },
  error => {
    process.stderr.write(`install check: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exitCode = 1;
  },
);
