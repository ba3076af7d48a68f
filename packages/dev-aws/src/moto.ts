// Starts and stops a local `moto_server` (Python moto, server mode) on
// loopback. Only erasable TypeScript syntax: loaded by plain `node`.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { delimiter } from 'node:path';
import { fileURLToPath } from 'node:url';

const HOST = '127.0.0.1';
const STDERR_TAIL_LINES = 30;
/** The Python layer that gives moto the PrivateLink lifecycle (docs/emulator.md). */
const EMULATOR_DIR = fileURLToPath(new URL('../emulator', import.meta.url));
const INSTALL_HINT =
  'moto_server was not found on PATH; install it with: pip install "moto[server]"';

/**
 * A running moto server.
 *
 * @public
 */
export type MotoServer = {
  /** Base URL to give the AWS SDK clients as `endpoint`, e.g. `http://127.0.0.1:5000`. */
  readonly endpoint: string;
  readonly port: number;
  /** Process id of `moto_server`. */
  readonly pid: number | undefined;
  /**
   * Settles when the process has exited (for whatever reason) with its exit
   * code, or the signal that ended it.
   */
  readonly exited: Promise<{ code: number | null; signal: string | null }>;
  /** Stops the server: SIGTERM, then SIGKILL if it has not exited in time. Idempotent. */
  stop(): Promise<void>;
};

/**
 * Options of {@link startMoto}.
 *
 * @public
 */
export type StartMotoOptions = {
  /** Port to listen on; a free loopback port is picked when absent. */
  port?: number;
  /** Receives every line moto writes to stdout/stderr (its request log). */
  log?: (line: string) => void;
  /** Upper bound on the time to wait for moto to answer, in ms. Default 30000. */
  startTimeoutMs?: number;
  /** Time to wait for exit after SIGTERM before sending SIGKILL, in ms. Default 5000. */
  stopTimeoutMs?: number;
  /** Executable to run. Default `moto_server`. */
  command?: string;
  /**
   * Loads the PrivateLink emulator layer (pending connections, accept/reject, private DNS verification) into
   * moto. Default true; false gives plain moto.
   */
  emulator?: boolean;
  /**
   * Seconds a started private DNS verification waits for its TXT record before it is `failed`. Default: one day.
   */
  dnsVerificationTimeoutSeconds?: number;
};

/**
 * Listens on `port` (0: any free port) on loopback, closes, and returns the
 * port. Rejects (EADDRINUSE) when a given port is taken.
 */
async function claimPort(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(port, HOST, () => {
      const address = server.address();
      if (!address || typeof address === 'string') {
        server.close();
        reject(new Error('Could not determine a free port'));
        return;
      }
      const claimed = address.port;
      server.close(err => (err ? reject(err) : resolve(claimed)));
    });
  });
}

/**
 * Minimal HTTP call over node:http (not the global fetch, which test setups
 * may replace or block). Resolves with the status code; the body is drained.
 */
function httpStatus(
  method: 'GET' | 'POST',
  url: string,
  timeoutMs: number,
  signal?: AbortSignal,
  form?: { body: string; headers: Record<string, string> },
): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, timeout: timeoutMs, signal, headers: form?.headers }, res => {
      res.resume();
      res.once('end', () => resolve(res.statusCode ?? 0));
      res.once('error', reject);
    });
    req.once('timeout', () =>
      req.destroy(
        new Error(`${method} ${url} timed out after ${timeoutMs} ms`),
      ),
    );
    req.once('error', reject);
    req.end(form?.body);
  });
}

/**
 * Whether moto answers an action that only the emulator layer implements. moto routes on the credential scope
 * of the Authorization header and does not check the signature.
 */
async function emulatorAnswers(endpoint: string): Promise<boolean> {
  const status = await httpStatus('POST', `${endpoint}/`, 5000, undefined, {
    body: 'Action=DescribeVpcEndpointConnections&Version=2016-11-15',
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8',
      Authorization:
        'AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/ec2/aws4_request, SignedHeaders=host, Signature=0',
    },
  });
  return status === 200;
}

/** Resolves after `ms`, or immediately when `signal` aborts. */
function delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise(resolve => {
    if (signal.aborted) {
      resolve();
      return;
    }
    let timer: ReturnType<typeof setTimeout> | undefined = undefined;
    const onAbort = () => {
      clearTimeout(timer);
      resolve();
    };
    timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** Resolves true once `child` exits, or false after `ms`. */
function waitForExit(
  child: ChildProcess,
  exited: Promise<unknown>,
  ms: number,
): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve(true);
  }
  let timer: ReturnType<typeof setTimeout> | undefined;
  return Promise.race([
    exited.then(() => true),
    new Promise<boolean>(resolve => {
      timer = setTimeout(() => resolve(false), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/** Polls moto until it answers, `signal` aborts, or `deadline` passes. */
async function waitUntilReady(
  endpoint: string,
  deadline: number,
  signal: AbortSignal,
): Promise<boolean> {
  let backoff = 50;
  while (!signal.aborted && Date.now() < deadline) {
    try {
      const status = await httpStatus(
        'GET',
        `${endpoint}/moto-api/`,
        2000,
        signal,
      );
      if (status >= 200 && status < 300) {
        return true;
      }
    } catch {
      // not listening yet
    }
    await delay(Math.min(backoff, Math.max(0, deadline - Date.now())), signal);
    backoff = Math.min(backoff * 2, 500);
  }
  return false;
}

/**
 * Starts `moto_server` on loopback and resolves once it answers HTTP requests.
 *
 * Rejects with an explanatory error when `moto_server` is not installed,
 * exits before it is ready (the error includes the tail of its stderr), or
 * does not answer within `startTimeoutMs`.
 *
 * @public
 */
export async function startMoto(
  options: StartMotoOptions = {},
): Promise<MotoServer> {
  let port: number;
  try {
    port = await claimPort(options.port ?? 0);
  } catch (err) {
    throw new Error(
      `Cannot start moto on ${HOST}:${options.port}: ${(err as Error).message}`,
    );
  }
  const endpoint = `http://${HOST}:${port}`;
  const startTimeoutMs = options.startTimeoutMs ?? 30_000;
  const stopTimeoutMs = options.stopTimeoutMs ?? 5_000;
  const command = options.command ?? 'moto_server';
  const log = options.log;

  const emulator = options.emulator ?? true;
  const env: NodeJS.ProcessEnv = { ...process.env, PYTHONUNBUFFERED: '1' };
  if (emulator) {
    // sitecustomize.py in EMULATOR_DIR installs the layer when PRIVATELINK_EMULATOR=1 (this process only).
    env.PYTHONPATH = [EMULATOR_DIR, process.env.PYTHONPATH].filter(Boolean).join(delimiter);
    env.PRIVATELINK_EMULATOR = '1';
    if (options.dnsVerificationTimeoutSeconds !== undefined) {
      env.PRIVATELINK_EMULATOR_DNS_VERIFICATION_TIMEOUT_SECONDS = String(options.dnsVerificationTimeoutSeconds);
    }
  } else {
    delete env.PRIVATELINK_EMULATOR;
  }
  const child = spawn(command, ['-H', HOST, '-p', String(port)], {
    detached: false,
    stdio: ['ignore', 'pipe', 'pipe'],
    env,
  });

  const stderrTail: string[] = [];
  const onOutput = (stream: 'stdout' | 'stderr') => {
    let pending = '';
    return (chunk: Buffer) => {
      pending += chunk.toString('utf8');
      const lines = pending.split(/\r?\n/);
      pending = lines.pop() ?? '';
      for (const line of lines) {
        if (stream === 'stderr') {
          stderrTail.push(line);
          if (stderrTail.length > STDERR_TAIL_LINES) stderrTail.shift();
        }
        log?.(line);
      }
    };
  };
  child.stdout?.on('data', onOutput('stdout'));
  child.stderr?.on('data', onOutput('stderr'));

  const exited = new Promise<{ code: number | null; signal: string | null }>(
    resolve => {
      child.once('exit', (code, signal) => resolve({ code, signal }));
    },
  );
  // Kill moto if this process exits without stopping it (e.g. a crashed test run).
  const killOnExit = () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
    }
  };
  process.once('exit', killOnExit);

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        if (!(await waitForExit(child, exited, stopTimeoutMs))) {
          child.kill('SIGKILL');
          await waitForExit(child, exited, stopTimeoutMs);
        }
      }
      process.removeListener('exit', killOnExit);
    })();
    return stopping;
  };

  // Readiness: first of (spawn error, early exit, answers HTTP, timeout).
  const abort = new AbortController();
  const spawnError = new Promise<Error>(resolve => {
    // Keep listening: an unhandled 'error' event would crash the process.
    child.on('error', err => resolve(err));
  });
  const deadline = Date.now() + startTimeoutMs;
  const outcome = await Promise.race([
    spawnError.then(err => ({ kind: 'spawn-error' as const, err })),
    exited.then(info => ({ kind: 'exited' as const, info })),
    waitUntilReady(endpoint, deadline, abort.signal).then(ready =>
      ready ? { kind: 'ready' as const } : { kind: 'timeout' as const },
    ),
  ]);
  abort.abort();

  if (outcome.kind === 'ready') {
    if (!emulator || (await emulatorAnswers(endpoint).catch(() => false))) {
      return { endpoint, port, pid: child.pid, exited, stop };
    }
    await stop();
    throw new Error(
      `${command} runs, but the PrivateLink emulator layer (${EMULATOR_DIR}) did not load: DescribeVpcEndpointConnections is not answered. It needs moto 5.x; see docs/emulator.md`,
    );
  }

  await stop();
  const tail = stderrTail.join('\n').trim();
  const withTail = (msg: string) =>
    tail ? `${msg}\n--- moto_server stderr (tail) ---\n${tail}` : msg;
  if (outcome.kind === 'spawn-error') {
    const code = (outcome.err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new Error(INSTALL_HINT);
    }
    throw new Error(`Could not start ${command}: ${outcome.err.message}`);
  }
  if (outcome.kind === 'exited') {
    const { code, signal } = outcome.info;
    throw new Error(
      withTail(
        `${command} exited before it was ready (code ${code}, signal ${signal})`,
      ),
    );
  }
  throw new Error(
    withTail(
      `${command} did not answer on ${endpoint} within ${startTimeoutMs} ms`,
    ),
  );
}

/**
 * Tells whether `moto_server` can be run (it answers `--help` successfully).
 *
 * @public
 */
export async function isMotoInstalled(
  command: string = 'moto_server',
): Promise<boolean> {
  return new Promise(resolve => {
    const child = spawn(command, ['--help'], { stdio: 'ignore' });
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.once('error', () => {
      clearTimeout(timer);
      resolve(false);
    });
    child.once('exit', code => {
      clearTimeout(timer);
      resolve(code === 0);
    });
  });
}

/**
 * Resets all state of a running moto server (`POST /moto-api/reset`).
 *
 * Credentials obtained through STS AssumeRole are reset too: build new
 * clients (or seed again) afterwards.
 *
 * @public
 */
export async function resetMoto(endpoint: string): Promise<void> {
  const url = `${endpoint.replace(/\/+$/, '')}/moto-api/reset`;
  const status = await httpStatus('POST', url, 10_000);
  if (status < 200 || status >= 300) {
    throw new Error(`moto reset failed: HTTP ${status} from ${url}`);
  }
}
