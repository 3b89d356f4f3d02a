import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { SpawnRequest } from '../../../shared/contract';
import { MCP_FAILURES_FILE } from '../../../shared/mcp';
import { makeTempRepo, tempDir } from '../../test-support/temp-repo';
import { startTestCore, type TestCore } from '../../test-support/test-core';

let harness: TestCore | undefined;
afterEach(async () => {
  await harness?.core.close();
  harness = undefined;
});

const task = (repoPath: string) => ({ title: 'Asked by an agent', repoPath, prompt: 'Do it', verifyCommand: 'true', workerKind: 'claude' as const, requestedBy: 'claude_spawn' });

describe('spawn requests: nothing an agent asks for runs before the owner approves it', () => {
  it('a proposal makes an approval item and no assignment; a start the host refuses leaves it pending; a decision is taken once', async () => {
    const h = (harness = startTestCore());
    const spawn = await h.invoke('spawns.propose', task(makeTempRepo()));
    expect(spawn).toMatchObject({ state: 'pending', assignmentId: null, fleetRoot: null });
    expect(await h.invoke('cards.list', {})).toEqual([]);
    const inbox = await h.invoke('inbox.list', {});
    expect(inbox).toContainEqual(expect.objectContaining({ id: `spawn:${spawn.id}`, kind: 'approval_required', action: { kind: 'approve_spawn', spawnId: spawn.id } }));
    expect(h.connection.events.some((e) => e.event === 'spawn.updated' && (e.payload as SpawnRequest).id === spawn.id)).toBe(true);

    // No Claude account is connected, so the start is refused: the request goes back to pending.
    const refused = await h.invokeRaw('spawns.approve', { spawnId: spawn.id });
    expect(refused.ok).toBe(false);
    expect(await h.invoke('spawns.get', { spawnId: spawn.id })).toMatchObject({ state: 'pending', decidedAt: null });
    expect(await h.invoke('cards.list', {})).toEqual([]);

    expect(await h.invoke('spawns.decline', { spawnId: spawn.id })).toMatchObject({ state: 'declined' });
    expect((await h.invoke('inbox.list', {})).some((item) => item.id === `spawn:${spawn.id}`)).toBe(false);
    const again = await h.invokeRaw('spawns.approve', { spawnId: spawn.id });
    expect(again).toEqual({ ok: false, error: { code: 'spawn_not_pending', message: `Spawn request ${spawn.id} was already declined.` } });
    expect((await h.invokeRaw('spawns.get', { spawnId: 'spawn-nope' })).ok).toBe(false);
  });

  it('a proposal off its pin, or of a folder that is not a repository, is refused and stores nothing', async () => {
    const h = (harness = startTestCore());
    const repo = makeTempRepo();
    const offPin = await h.invokeRaw('spawns.propose', { ...task(repo), branch: 'release' });
    expect(offPin).toMatchObject({ ok: false, error: { code: 'pin_mismatch' } });
    const notRepo = await h.invokeRaw('spawns.propose', task(tempDir()));
    expect(notRepo).toMatchObject({ ok: false, error: { code: 'not_a_git_repo' } });
    expect(await h.invoke('spawns.list', {})).toEqual([]);
  });
});

describe('mcp_failed: what khala mcp recorded while no host ran', () => {
  it('each line of the file is an Inbox item when the host starts (a torn line is skipped); dismissing one rewrites the file', async () => {
    const dataDir = tempDir();
    const line = (id: string, tool: string) => JSON.stringify({ id, at: '2026-12-02T10:00:00.000Z', tool, detail: 'No Khala host is running.' });
    writeFileSync(path.join(dataDir, MCP_FAILURES_FILE), `${line('f1', 'codex_spawn')}\n{"torn":\n${line('f2', 'dag_status')}\n`);
    const logged: string[] = [];
    const h = (harness = startTestCore({ dataDir, log: (message) => logged.push(message) }));
    const failed = (await h.invoke('inbox.list', {})).filter((item) => item.kind === 'mcp_failed');
    expect(failed.map((item) => item.refs.tool).sort()).toEqual(['codex_spawn', 'dag_status']);
    expect(logged.some((message) => message.includes('skipped a line'))).toBe(true);

    expect(await h.invoke('host.dismissFault', { faultId: 'mcp:f1' })).toEqual({});
    expect((await h.invoke('inbox.list', {})).filter((item) => item.kind === 'mcp_failed').map((item) => item.id)).toEqual(['mcp:f2']);
    await h.core.close();
    harness = startTestCore({ dataDir });
    expect((await harness.invoke('inbox.list', {})).filter((item) => item.kind === 'mcp_failed').map((item) => item.id)).toEqual(['mcp:f2']);
  });

  it('an agent that kept calling a stopped host leaves at most the newest 50 items', async () => {
    const dataDir = tempDir();
    const lines = Array.from({ length: 120 }, (_, i) => JSON.stringify({ id: `f${i}`, at: `2026-12-02T10:00:${String(i % 60).padStart(2, '0')}.000Z`, tool: 'dag_status', detail: 'No host.' }));
    writeFileSync(path.join(dataDir, MCP_FAILURES_FILE), `${lines.join('\n')}\n`);
    const h = (harness = startTestCore({ dataDir }));
    const ids = (await h.invoke('inbox.list', {})).filter((item) => item.kind === 'mcp_failed').map((item) => item.id);
    expect(ids).toHaveLength(50);
    expect(ids).toContain('mcp:f119');
    expect(ids).not.toContain('mcp:f69');
  });
});
