// Child processes of the install check: each writes to its own log file, runs in its own process group (so that
// stopping it stops what it started, e.g. the backend's watcher), and fails with the tail of its log.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';

/** How to run a command. */
export type RunOptions = {
  cwd: string;
  env?: NodeJS.ProcessEnv;
  /** Where its stdout and stderr go. */
  logFile: string;
};

/** The last lines of a log, for error messages. */
export async function logTail(logFile: string, lines = 40): Promise<string> {
  const text = await readFile(logFile, 'utf8').catch(() => '');
  return text.split('\n').slice(-lines).join('\n');
}

function spawnLogged(command: string, args: string[], options: RunOptions): ChildProcess {
  const log = createWriteStream(options.logFile, { flags: 'a' });
  log.write(`$ ${command} ${args.join(' ')}   (in ${options.cwd})\n`);
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  child.stdout?.pipe(log, { end: false });
  child.stderr?.pipe(log, { end: false });
  child.once('close', () => log.end());
  return child;
}

/**
 * Runs a command to its end.
 *
 * @throws when it exits with a non-zero code or a signal; the message carries the end of its log
 */
export async function run(command: string, args: string[], options: RunOptions): Promise<void> {
  const child = spawnLogged(command, args, options);
  const code = await new Promise<number | string>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (c, signal) => resolve(c ?? signal ?? 'unknown'));
  });
  if (code !== 0) {
    throw new Error(
      `${command} ${args.join(' ')} failed (${code}); the end of ${options.logFile}:\n${await logTail(options.logFile)}`,
    );
  }
}

/** A long-running child, e.g. the new app's backend. */
export type Service = {
  /** Resolves when it exits, with its code or signal. */
  exited: Promise<number | string>;
  /** Stops its whole process group: TERM, then KILL after the grace period. */
  stop(graceMs?: number): Promise<void>;
};

/** Starts a long-running command in its own process group. */
export function start(command: string, args: string[], options: RunOptions): Service {
  const child = spawnLogged(command, args, options);
  const exited = new Promise<number | string>(resolve => {
    child.once('error', () => resolve('spawn error'));
    child.once('close', (c, signal) => resolve(c ?? signal ?? 'unknown'));
  });
  let done = false;
  exited.then(() => {
    done = true;
  });
  const signal = (name: NodeJS.Signals) => {
    try {
      if (child.pid) process.kill(-child.pid, name);
    } catch {
      // already gone
    }
  };
  return {
    exited,
    async stop(graceMs = 20_000) {
      if (done) return;
      signal('SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      const killed = new Promise<void>(resolve => {
        timer = setTimeout(() => {
          signal('SIGKILL');
          resolve();
        }, graceMs);
      });
      await Promise.race([exited.then(() => undefined), killed]);
      clearTimeout(timer);
      await exited;
    },
  };
}
