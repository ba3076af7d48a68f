// Command line of @privatelink-backstage/dev-aws, run with plain `node`
// (Node 22 strips the types): only erasable TypeScript syntax here and in
// everything it imports.
//
//   node packages/dev-aws/src/cli.ts moto [--port N] [--verbose]
//   node packages/dev-aws/src/cli.ts seed --endpoint http://127.0.0.1:PORT [--json]
import { parseArgs } from 'node:util';
import { startMoto } from './moto.ts';
import { seedDemoOrg } from './seed.ts';
import type { SeedResult } from './seed.ts';

const USAGE = `Usage:
  node packages/dev-aws/src/cli.ts moto [--port N] [--verbose]
      Starts moto_server on 127.0.0.1 (a free port unless --port), prints
      MOTO_ENDPOINT=http://127.0.0.1:PORT and runs until SIGINT/SIGTERM.
  node packages/dev-aws/src/cli.ts seed [--endpoint URL] [--json] [--quiet]
      Seeds the demo organisation (idempotent). URL defaults to $MOTO_ENDPOINT.
`;

const err = (line: string) => process.stderr.write(`${line}\n`);
const out = (line: string) => process.stdout.write(`${line}\n`);

async function runMoto(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      port: { type: 'string' },
      verbose: { type: 'boolean', default: false },
    },
  });
  const port = values.port === undefined ? undefined : Number(values.port);
  if (port !== undefined && !(Number.isInteger(port) && port > 0)) {
    throw new Error(`Invalid --port ${values.port}`);
  }
  const moto = await startMoto({
    port,
    log: values.verbose ? line => err(`[moto] ${line}`) : undefined,
  });
  out(`MOTO_ENDPOINT=${moto.endpoint}`);
  err(`moto_server (pid ${moto.pid}) listening on ${moto.endpoint}`);

  const signalled = new Promise<string>(resolve => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
  const outcome = await Promise.race([
    signalled.then(signal => ({ signal })),
    moto.exited.then(exit => ({ exit })),
  ]);
  if ('exit' in outcome) {
    err(
      `moto_server exited unexpectedly (code ${outcome.exit.code}, signal ${outcome.exit.signal})`,
    );
    return 1;
  }
  err(`${outcome.signal}: stopping moto_server`);
  await moto.stop();
  return 0;
}

function summary(result: SeedResult): string[] {
  const { created, reused } = result.counts;
  return [
    `Seeded the demo org into ${result.endpoint} (${result.region}): ${created} created, ${reused} reused`,
    ...result.accounts.map(
      a => `  account ${a.accountId} ${a.name} (${a.role}) vpc ${a.vpcId}`,
    ),
    ...result.services.map(
      s =>
        `  service ${s.name}: ${s.serviceName}${
          s.privateDnsName ? ` dns ${s.privateDnsName}` : ''
        }`,
    ),
    ...result.endpoints.map(
      e =>
        `  endpoint ${e.key}: ${e.endpointId} (${e.type}) -> ${e.serviceName}`,
    ),
  ];
}

async function runSeed(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      endpoint: { type: 'string' },
      region: { type: 'string' },
      json: { type: 'boolean', default: false },
      quiet: { type: 'boolean', default: false },
    },
  });
  const endpoint = values.endpoint ?? process.env.MOTO_ENDPOINT;
  if (!endpoint) {
    throw new Error('seed needs --endpoint URL (or MOTO_ENDPOINT)');
  }
  const started = Date.now();
  const result = await seedDemoOrg({
    endpoint,
    region: values.region,
    log: values.quiet ? undefined : line => err(line),
  });
  if (values.json) {
    out(JSON.stringify(result, null, 2));
  } else {
    summary(result).forEach(out);
    out(`Done in ${Date.now() - started} ms`);
  }
  return 0;
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'moto':
      return runMoto(rest);
    case 'seed':
      return runSeed(rest);
    case 'help':
    case '--help':
    case '-h':
      out(USAGE);
      return 0;
    case undefined:
      err(USAGE);
      return 1;
    default:
      err(`Unknown command: ${command}\n\n${USAGE}`);
      return 1;
  }
}

main(process.argv.slice(2)).then(
  code => {
    process.exitCode = code;
  },
  (error: unknown) => {
    err(`error: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  },
);
