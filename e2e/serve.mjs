// Starting and stopping datachat for the end-to-end tests.

import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** The datachat binary: env DATACHAT_BIN, else ../datachat. */
export const BIN = process.env.DATACHAT_BIN
  ? resolve(process.cwd(), process.env.DATACHAT_BIN)
  : resolve(here, '..', 'datachat');

/** The folder of the sample data. */
export const DATA_DIR = resolve(here, '..', 'testdata');

/** Returns a TCP port that was free a moment ago on 127.0.0.1. */
export function freePort() {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => ok(port));
    });
  });
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Waits for a child process to exit; returns {code, signal} or null on timeout. */
export function waitExit(proc, ms) {
  if (proc.exitCode !== null || proc.signalCode !== null) {
    return Promise.resolve({ code: proc.exitCode, signal: proc.signalCode });
  }
  return new Promise((ok) => {
    const timer = setTimeout(() => ok(null), ms);
    proc.once('exit', (code, signal) => {
      clearTimeout(timer);
      ok({ code, signal });
    });
  });
}

/**
 * Starts `datachat serve <args>` on a free loopback port and waits for
 * /healthz. Retries with another port if the process dies (e.g. the port
 * was taken). Returns {base, proc, stderr()}.
 */
export async function startServe(args) {
  let lastErr = '';
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const proc = spawn(BIN, ['serve', '--addr', `127.0.0.1:${port}`, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    proc.stderr.on('data', (d) => { stderr += d; });
    const base = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline && proc.exitCode === null) {
      try {
        const res = await fetch(`${base}/healthz`);
        if (res.ok) return { base, proc, stderr: () => stderr };
      } catch {
        // not listening yet
      }
      await sleep(100);
    }
    lastErr = stderr;
    proc.kill('SIGKILL');
    await waitExit(proc, 5_000);
  }
  throw new Error(`datachat serve did not become healthy: ${lastErr}`);
}

/** Stops a server started by startServe; returns its exit. */
export async function stopServe(server) {
  server.proc.kill('SIGTERM');
  const exit = await waitExit(server.proc, 15_000);
  if (!exit) server.proc.kill('SIGKILL');
  return exit;
}
