import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { OWNER_ONLY_FILE } from '../core/store/owner-only';

/** Where a running host tells local clients (the CLI, tests) how to reach it; readable by the owner only. */
export function hostFilePath(dataDir: string): string {
  return path.join(dataDir, 'host.json');
}

export function writeHostFile(dataDir: string, info: { url: string; token: string }): void {
  // A file left by a crashed run keeps its old mode on overwrite, so start from a fresh one, created
  // exclusively so nothing planted in between (a link to elsewhere) is written through.
  rmSync(hostFilePath(dataDir), { force: true });
  writeFileSync(hostFilePath(dataDir), JSON.stringify({ ...info, pid: process.pid }, null, 2), { mode: OWNER_ONLY_FILE, flag: 'wx' });
}

export function removeHostFile(dataDir: string): void {
  rmSync(hostFilePath(dataDir), { force: true });
}

/**
 * The port and token a previous boot wrote, so a restarted host answers the board URL the owner
 * already has open. Null when there is no such file or it is not one this host wrote.
 */
export function readHostFile(dataDir: string, tokenPattern: RegExp): { port: number; token: string } | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(hostFilePath(dataDir), 'utf8'));
  } catch {
    return null;
  }
  const { url, token } = (parsed ?? {}) as { url?: unknown; token?: unknown };
  if (typeof url !== 'string' || typeof token !== 'string' || !tokenPattern.test(token)) return null;
  const port = Number(/^ws:\/\/127\.0\.0\.1:(\d+)\//.exec(url)?.[1]);
  return Number.isInteger(port) && port > 0 ? { port, token } : null;
}
