import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import WebSocket from 'ws';
import type { InvokeResult } from '../../shared/contract';
// @ts-expect-error: the build's own esbuild settings are plain JavaScript (no types).
import { nodeBundle, rawText } from '../../scripts/esbuild-options.mjs';

const REPO_ROOT = path.resolve(import.meta.dirname, '..', '..');

/** Bundles browser mode (`web.cjs`) and the fixture worker as `npm run build` does, into `<tmp>/out/`. */
export async function buildWebHost(): Promise<string> {
  const root = mkdtempSync(path.join(os.tmpdir(), 'khala-web-build-'));
  const outdir = path.join(root, 'out');
  mkdirSync(path.join(outdir, 'renderer'), { recursive: true });
  copyFileSync(path.join(REPO_ROOT, 'package.json'), path.join(root, 'package.json'));
  await build({
    ...nodeBundle,
    plugins: [rawText],
    sourcemap: false,
    outdir,
    entryPoints: { web: path.join(REPO_ROOT, 'electron/host/web.ts'), 'fixture-worker': path.join(REPO_ROOT, 'electron/core/workers/fixture-worker.ts') },
  });
  return path.join(outdir, 'web.cjs');
}

export interface WebHostProcess {
  child: ChildProcess;
  /** Everything it printed on stdout so far. */
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  client: HostClient;
}

export interface HostClient {
  invoke<T>(command: string, input: unknown): Promise<T>;
  /** Resolves with the first value `pick` returns for a pushed event (or for the events so far). */
  waitForEvent<T>(pick: (event: string, payload: unknown) => T | undefined): Promise<T>;
  close(): void;
}

/** Starts browser mode on `dataDir` as the owner would (`npm run web -- <args>`), and connects to it. */
export async function startWebHost(script: string, dataDir: string, args: string[] = []): Promise<WebHostProcess> {
  const child = spawn(process.execPath, [script, ...args], {
    env: { ...process.env, KHALA_HOME: dataDir, NODE_PATH: path.join(REPO_ROOT, 'node_modules') },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let text = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8');
      if (text.includes('http://127.0.0.1')) resolve();
    });
    void exited.then(() => reject(new Error(`browser mode exited before it was ready: ${text}`)));
  });
  const info = JSON.parse(readFileSync(path.join(dataDir, 'host.json'), 'utf8')) as { url: string; token: string };
  const client = await connect(`${info.url}?token=${encodeURIComponent(info.token)}`);
  return { child, output: () => text, exited, client };
}

async function connect(url: string): Promise<HostClient> {
  const ws = new WebSocket(url);
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  // A host killed outright drops the socket: that is expected here.
  ws.on('error', () => undefined);
  const waiting = new Map<number, (result: InvokeResult) => void>();
  const events: { event: string; payload: unknown }[] = [];
  const watchers = new Set<() => void>();
  ws.on('message', (data) => {
    const message = JSON.parse(data.toString()) as { t: string; id: number; result: InvokeResult; event: string; payload: unknown };
    if (message.t === 'result') {
      waiting.get(message.id)?.(message.result);
      waiting.delete(message.id);
    } else if (message.t === 'event') {
      events.push({ event: message.event, payload: message.payload });
      for (const watch of [...watchers]) watch();
    }
  });
  let nextId = 1;
  return {
    invoke<T>(command: string, input: unknown) {
      const id = nextId++;
      return new Promise<T>((resolve, reject) => {
        waiting.set(id, (result) => (result.ok ? resolve(result.value as T) : reject(new Error(`${command}: ${result.error.code}: ${result.error.message}`))));
        ws.send(JSON.stringify({ t: 'invoke', id, command, input }));
      });
    },
    waitForEvent<T>(pick: (event: string, payload: unknown) => T | undefined) {
      return new Promise<T>((resolve) => {
        let seen = 0;
        const watch = () => {
          for (; seen < events.length; seen += 1) {
            const value = pick(events[seen]!.event, events[seen]!.payload);
            if (value !== undefined) {
              watchers.delete(watch);
              return resolve(value);
            }
          }
        };
        watchers.add(watch);
        watch();
      });
    },
    close: () => ws.close(),
  };
}
