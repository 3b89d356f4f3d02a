import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const repoRoot = path.resolve(import.meta.dirname, '..');
const eslint = new ESLint({ cwd: repoRoot });
const RULE = 'no-restricted-imports';
/** Loading the config and typescript-eslint the first time takes a few seconds on these machines. */
const LINT_TIMEOUT_MS = 30_000;

/** Lints `code` as if it lived at `file` (nothing is written) and returns the layer-rule messages. */
async function layerViolations(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(repoRoot, file) });
  if (!result) throw new Error(`ESLint returned no result for ${file}`);
  const fatal = result.messages.filter((message) => message.fatal);
  if (fatal.length > 0) throw new Error(`${file} did not parse: ${fatal[0]?.message}`);
  return result.messages.filter((message) => message.ruleId === RULE).map((message) => message.message);
}

async function allMessages(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(repoRoot, file) });
  return (result?.messages ?? []).map((message) => `${message.ruleId}: ${message.message}`);
}

/** Each case uses its import, so only the layer rule can complain. */
const crossing = (specifier: string, binding = 'x'): string =>
  `import ${binding} from '${specifier}';\nexport const used = ${binding.replace(/[{}]/g, '').trim().split(/\s+/).pop()};\n`;

describe('layer rule 1: renderer/ imports only renderer/ and shared/', () => {
  it.each([
    ['node:fs', 'fs'],
    ['fs', 'fs'],
    ['path', 'path'],
    ['child_process', '* as cp'],
    ['fs/promises', '* as fsp'],
    ['electron', '{ ipcRenderer }'],
    ['../electron/core', '{ createCore }'],
    ['../../electron/host/ws', '{ startWebSocketHost }'],
  ])('refuses %s', async (specifier, binding) => {
    const messages = await layerViolations('renderer/board/x.ts', crossing(specifier, binding));
    expect(messages.length).toBeGreaterThan(0);
    expect(messages.join('\n')).toContain('Layer rule 1');
  }, LINT_TIMEOUT_MS);

  it('accepts shared/, renderer/ and UI packages', async () => {
    const code = [
      "import { commands } from '../shared/contract';",
      "import { useState } from 'react';",
      "import { Terminal } from '@xterm/xterm';",
      "import { App } from './App';",
      'export const used = [commands, useState, Terminal, App];',
      '',
    ].join('\n');
    expect(await allMessages('renderer/x.tsx', code)).toEqual([]);
  }, LINT_TIMEOUT_MS);
});

describe('layer rule 2: shared/ imports nothing platform-specific', () => {
  it.each([
    ['react', 'React'],
    ['react-dom', '* as ReactDom'],
    ['@xterm/xterm', '{ Terminal }'],
    ['node:crypto', 'crypto'],
    ['os', 'os'],
    ['electron', '{ app }'],
    ['../electron/core/router', '{ createRouter }'],
    ['../renderer/App', '{ App }'],
  ])('refuses %s', async (specifier, binding) => {
    const messages = await layerViolations('shared/x.ts', crossing(specifier, binding));
    expect(messages.length).toBeGreaterThan(0);
    expect(messages.join('\n')).toContain('Layer rule 2');
  }, LINT_TIMEOUT_MS);

  it('accepts zod and shared/', async () => {
    const code = "import { z } from 'zod';\nimport { errorCodes } from './errors';\nexport const used = [z, errorCodes];\n";
    expect(await allMessages('shared/x.ts', code)).toEqual([]);
  }, LINT_TIMEOUT_MS);
});

describe('layer rule 3: electron/core/ never imports electron', () => {
  it.each([
    ['electron', '{ app }'],
    ['electron/main', '{ BrowserWindow }'],
    ['../../renderer/App', '{ App }'],
  ])('refuses %s', async (specifier, binding) => {
    const messages = await layerViolations('electron/core/x.ts', crossing(specifier, binding));
    expect(messages.length).toBeGreaterThan(0);
    expect(messages.join('\n')).toContain('Layer rule 3');
  }, LINT_TIMEOUT_MS);

  it('refuses a type-only import of electron too', async () => {
    const code = "import type { WebContents } from 'electron';\nexport type Used = WebContents;\n";
    expect((await layerViolations('electron/core/x.ts', code)).join('\n')).toContain('Layer rule 3');
  }, LINT_TIMEOUT_MS);

  it('accepts Node builtins and shared/', async () => {
    const code = "import fs from 'node:fs';\nimport { commands } from '../../shared/contract';\nexport const used = [fs, commands];\n";
    expect(await allMessages('electron/core/x.ts', code)).toEqual([]);
  }, LINT_TIMEOUT_MS);
});

describe('layer rule 4: electron and raw IPC only in the shell and the IPC transport', () => {
  it.each([
    ['electron/main.ts', 'electron', '{ ipcMain }'],
    ['electron/main.ts', 'electron', '* as electron'],
    ['electron/main.ts', 'electron', 'electron'],
    ['electron/main.ts', 'electron/main', '{ ipcMain }'],
    ['electron/shell/window-policy.ts', 'electron', '{ ipcRenderer }'],
    ['electron/host/ws.ts', 'electron', '{ app }'],
    ['electron/host/other.ts', 'electron/main', '{ ipcMain }'],
  ])('refuses in %s: %s %s', async (file, specifier, binding) => {
    const messages = await layerViolations(file, crossing(specifier, binding));
    expect(messages.length).toBeGreaterThan(0);
    expect(messages.join('\n')).toContain('Layer rule 4');
  }, LINT_TIMEOUT_MS);

  it.each([
    ['electron/main.ts', "import { app, BrowserWindow } from 'electron';\nexport const used = [app, BrowserWindow];\n"],
    ['electron/shell/x.ts', "import type { WebContents } from 'electron';\nexport type Used = WebContents;\n"],
    ['electron/host/ipc.ts', "import { ipcMain } from 'electron';\nexport const used = ipcMain;\n"],
    ['electron/preload.ts', "import { contextBridge, ipcRenderer } from 'electron';\nexport const used = [contextBridge, ipcRenderer];\n"],
    ['electron/host/x.test.ts', "import { app } from 'electron';\nexport const used = app;\n"],
  ])('accepts %s', async (file, code) => {
    expect(await allMessages(file, code)).toEqual([]);
  }, LINT_TIMEOUT_MS);
});

describe('layer rule 5: cli/ reaches the host through the contract', () => {
  it.each([
    ['cli/x.ts', '../electron/core/router', '{ createRouter }'],
    ['cli/verbs/x.ts', '../../electron/core', '{ createCore }'],
    ['cli/verbs/x.ts', '../../electron/host/headless', '{ startHeadlessHost }'],
    ['cli/x.ts', '../renderer/App', '{ App }'],
    ['cli/x.ts', 'electron', '{ app }'],
    ['cli/serve.ts', '../electron/host/ws', '{ startWebSocketHost }'],
  ])('refuses in %s: %s', async (file, specifier, binding) => {
    const messages = await layerViolations(file, crossing(specifier, binding));
    expect(messages.length).toBeGreaterThan(0);
    expect(messages.join('\n')).toContain('Layer rule 5');
  }, LINT_TIMEOUT_MS);

  it.each([
    ['cli/x.ts', "import { commands } from '../shared/contract';\nimport { hostFilePath } from '../electron/host/host-file';\nexport const used = [commands, hostFilePath];\n"],
    ['cli/verbs/x.ts', "import { kahnLayers } from '../../electron/core/fleets/layers';\nimport { fleetAscii } from '../../electron/core/fleets/graph-text';\nexport const used = [kahnLayers, fleetAscii];\n"],
    ['cli/serve.ts', "import { startHeadlessHost } from '../electron/host/headless';\nexport const used = startHeadlessHost;\n"],
  ])('accepts %s', async (file, code) => {
    expect(await allMessages(file, code)).toEqual([]);
  }, LINT_TIMEOUT_MS);
});
