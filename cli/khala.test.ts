import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as pty from 'node-pty';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { git, makeTempRepo, tempDir } from '../electron/test-support/temp-repo';
import { buildKhala, finished, khalaEnv, runKhala, serveHost, startKhala, waitForOutput, type ServedHost } from './test-support/khala-process';

/** Runs a verb in a real terminal (a pty), as the owner does, and returns all it drew and its exit code. */
function runInTerminal(khala: string, args: string[]): Promise<{ code: number; screen: string }> {
  const terminal = pty.spawn(process.execPath, [khala, ...args], { name: 'xterm-256color', cols: 160, rows: 40, env: khalaEnv() });
  let screen = '';
  terminal.onData((data) => (screen += data));
  return new Promise((resolve) => terminal.onExit(({ exitCode }) => resolve({ code: exitCode, screen })));
}

/** What a verb sends to redraw in place: clear the screen and home the cursor. */
const CLEAR_SCREEN = '\x1b[H\x1b[2J';

/** The fake CLIs (device and browser logins, readiness) from the core's tests, put on a host's PATH under their real names. */
const FAKE_CODEX = path.resolve(import.meta.dirname, '../electron/test-support/fake-clis/fake-codex.cjs');
const FAKE_CLAUDE = path.resolve(import.meta.dirname, '../electron/test-support/fake-clis/fake-claude.cjs');

/** A folder holding one fake CLI as `name`, with its mode (each fake reads mode.json beside itself). */
function fakeBinWith(name: 'codex' | 'claude', source: string, mode: Record<string, unknown>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'khala-cli-bin-'));
  copyFileSync(source, path.join(dir, name));
  chmodSync(path.join(dir, name), 0o755);
  writeFileSync(path.join(dir, 'mode.json'), JSON.stringify(mode));
  return dir;
}

let khala: string;
beforeAll(async () => {
  khala = await buildKhala();
});

/** A fleet folder as the seed's operator writes it, with no-spend fixture workers. */
function fleetFolder(name: string, workers: { id: string; depends_on?: string[]; fixture?: { durationMs: number } }[]): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'khala-cli-fleet-'));
  writeFileSync(path.join(root, 'fleet.json'), JSON.stringify({ fleet_name: name, config: { provider: 'fixture', type: 'write', fixture: { durationMs: 200 } }, workers }, null, 2));
  for (const worker of workers) {
    mkdirSync(path.join(root, 'workers', worker.id), { recursive: true });
    writeFileSync(path.join(root, 'workers', worker.id, 'prompt.md'), `Task of ${worker.id}\n`);
  }
  return root;
}

describe('khala without a running host', () => {
  it('says how to start one, exit 1, for every verb that needs the host', async () => {
    const dataDir = tempDir();
    for (const args of [['fleet', 'status'], ['inbox'], ['run', 'status'], ['dag', 'status', 'demo'], ['closeout', 'asg-1'], ['approve', 'run-1']]) {
      const result = await runKhala(khala, args, { dataDir });
      expect(result.code, args.join(' ')).toBe(1);
      expect(result.stderr).toContain(`No Khala host is running on ${dataDir}`);
      expect(result.stderr).toContain('khala serve');
      expect(result.stderr).toContain('npm run web');
      expect(result.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it('reads the data dir from KHALA_DATA_DIR, and --json failures are one JSON line on stderr', async () => {
    const dataDir = tempDir();
    const result = await runKhala(khala, ['fleet', 'status', '--json'], { env: { KHALA_DATA_DIR: dataDir } });
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stderr)).toEqual({ error: { code: 'host_unavailable', message: expect.stringContaining(dataDir) } });
  });

  it('a host.json left by a host that stopped is named as stale, not followed', async () => {
    const dataDir = tempDir();
    writeFileSync(path.join(dataDir, 'host.json'), JSON.stringify({ url: 'ws://127.0.0.1:9/ws', token: 'gone', pid: 1 }));
    const result = await runKhala(khala, ['inbox'], { dataDir });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('host.json is left from a host that stopped');
  });
});

describe('khala --help and invalid input', () => {
  const verbs = [
    [],
    ['fleet', 'connect'],
    ['fleet', 'status'],
    ['request'],
    ['closeout'],
    ['tail'],
    ['run', 'start'],
    ['run', 'status'],
    ['run', 'control'],
    ['inbox'],
    ['approve'],
    ['dag', 'launch'],
    ['dag', 'status'],
    ['dag', 'kill'],
    ['dag', 'relaunch-worker'],
    ['dag', 'report'],
    ['dag', 'view'],
    ['dag', 'feed'],
    ['dag', 'viz'],
    ['serve'],
    ['mcp'],
  ];
  it.each(verbs.map((verb) => [verb.join(' ') || 'khala', verb]))('%s --help exits 0 with its usage', async (_name, verb) => {
    const result = await runKhala(khala, [...verb, '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Usage: khala');
    if (verb.length > 0 && verb[0] !== 'mcp') expect(result.stdout).toContain('--json');
  });

  it.each([
    ['an unknown verb', ['deploy']],
    ['a missing argument', ['closeout']],
    ['an unknown control', ['run', 'control', 'run-1', 'explode']],
    ['an unknown worker kind', ['request', '--prompt', 'p', '--repo', '/tmp', '--verify', 'true', '--worker', 'gpt']],
    ['a turn count that is not a number', ['request', '--prompt', 'p', '--repo', '/tmp', '--verify', 'true', '--fixture', '--max-turns', 'many']],
    ['a commit that is not a sha', ['request', '--prompt', 'p', '--repo', '/tmp', '--verify', 'true', '--fixture', '--commit', 'HEAD~1']],
    ['two work sources', ['run', 'start', '--name', 'r', '--repo', '/tmp', '--verify', 'true', '--tasks', 'a.md', '--fixture-units', '2']],
    ['a port out of range', ['serve', '--port', '70000']],
  ])('%s exits 2 before touching a host', async (_name, args) => {
    const result = await runKhala(khala, args, { dataDir: tempDir() });
    expect(result.code).toBe(2);
    expect(result.stderr.length).toBeGreaterThan(0);
    expect(result.stderr).not.toContain('No Khala host');
  });

  it('dag viz draws a fleet.json offline (ASCII and Mermaid) and prints a cycle as CYCLE:a,b,c with exit 2', async () => {
    const root = fleetFolder('drawn', [{ id: 'a' }, { id: 'b' }, { id: 'c', depends_on: ['a', 'b'] }]);
    const ascii = await runKhala(khala, ['dag', 'viz', path.join(root, 'fleet.json')]);
    expect(ascii).toMatchObject({ code: 0, stdout: 'L0  a  b\nL1  c\n\na -> c\nb -> c\n' });
    const mermaid = await runKhala(khala, ['dag', 'viz', path.join(root, 'fleet.json'), '--mermaid']);
    expect(mermaid.code).toBe(0);
    expect(mermaid.stdout).toMatch(/^graph TD\n/);
    expect(mermaid.stdout).toContain('w0 --> w2');

    const cyclic = fleetFolder('loop', [{ id: 'b', depends_on: ['a'] }, { id: 'c', depends_on: ['b'] }, { id: 'a', depends_on: ['c'] }]);
    const cycle = await runKhala(khala, ['dag', 'viz', path.join(cyclic, 'fleet.json')]);
    expect(cycle.code).toBe(2);
    expect(cycle.stderr.trim()).toBe('CYCLE:a,b,c');
    expect(cycle.stdout).toBe('');

    const missing = await runKhala(khala, ['dag', 'viz', path.join(cyclic, 'nope.json')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no such file');
  });
});

describe('khala against a real host (khala serve on a temp data dir)', () => {
  let dataDir: string;
  let host: ServedHost;
  let fakeBin: string;

  beforeAll(async () => {
    dataDir = tempDir();
    fakeBin = fakeBinWith('codex', FAKE_CODEX, { code: 'CLIX-12345', approveAfterMs: 300 });
    // Only the fake codex and the system's tools are on the host's PATH: no claude CLI.
    host = await serveHost(khala, dataDir, { PATH: `${fakeBin}:/usr/bin:/bin` });
  });

  afterAll(async () => {
    expect(await host.stop()).toBe(0);
  });

  it('a second khala serve on the same data dir is refused, naming the running host', async () => {
    const second = await runKhala(khala, ['serve'], { dataDir });
    expect(second.code).toBe(1);
    expect(second.stderr).toContain(String(host.child.pid));
  });

  it('fleet status: the empty inventory, then fleet connect logs a codex account in (link, code, approval) and status lists it', async () => {
    const empty = await runKhala(khala, ['fleet', 'status'], { dataDir });
    expect(empty).toMatchObject({ code: 0, stdout: 'No accounts yet. Connect one with: khala fleet connect\n' });
    expect(JSON.parse((await runKhala(khala, ['fleet', 'status', '--json'], { dataDir })).stdout)).toEqual([]);

    const connect = await runKhala(khala, ['fleet', 'connect', '--harness', 'codex', '--account', 'work'], { dataDir });
    expect(connect.stderr).toContain('Open https://auth.openai.com/codex/device');
    expect(connect.stderr).toContain('and enter the code CLIX-12345');
    expect(connect).toMatchObject({ code: 0, stdout: 'Connected work (codex). See it with: khala fleet status\n' });

    const status = await runKhala(khala, ['fleet', 'status'], { dataDir });
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/^REF\s+PROVIDER\s+READINESS\s+IDENTITY\s+SLOTS\s+BUSY\s+PAUSED\s+COOLDOWN\n/);
    expect(status.stdout).toMatch(/\nwork\s+codex\s+ready\s+\S+\s+1\s+0\s+no\s+-\n/);
  });

  it('fleet connect with a harness whose CLI is missing fails with its install hint', async () => {
    const result = await runKhala(khala, ['fleet', 'connect', '--harness', 'claude'], { dataDir });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('The claude CLI is missing');
    expect(result.stderr).toContain('Install it with: npm install -g @anthropic-ai/claude-code');
  });

  it('fleet connect --harness claude prints the link, asks for the code pasted from the browser, and connects', async () => {
    const claudeDataDir = tempDir();
    const claudeBin = fakeBinWith('claude', FAKE_CLAUDE, { acceptCode: 'PASTED-CODE' });
    const claudeHost = await serveHost(khala, claudeDataDir, { PATH: `${claudeBin}:/usr/bin:/bin` });
    try {
      const wrong = await runKhala(khala, ['fleet', 'connect', '--harness', 'claude', '--account', 'nope'], { dataDir: claudeDataDir, stdin: 'WRONG\n' });
      expect(wrong.code).toBe(1);
      expect(wrong.stderr).toContain('The login of nope failed');
      const connect = await runKhala(khala, ['fleet', 'connect', '--harness', 'claude', '--account', 'pro'], { dataDir: claudeDataDir, stdin: 'PASTED-CODE\n' });
      expect(connect.stderr).toContain('Open https://claude.ai/oauth/authorize');
      expect(connect.stderr).toContain('Paste the code from the browser: ');
      expect(connect).toMatchObject({ code: 0, stdout: 'Connected pro (claude). See it with: khala fleet status\n' });
      expect((await runKhala(khala, ['fleet', 'status'], { dataDir: claudeDataDir })).stdout).toMatch(/\npro\s+claude\s+ready\s/);
    } finally {
      expect(await claudeHost.stop()).toBe(0);
    }
  });

  it('request --fixture prints the assignment ref; tail shows its transcript; closeout --wait reports ok with no blockers', async () => {
    const repo = makeTempRepo();
    const sha = git(repo, 'rev-parse', 'HEAD');
    const request = await runKhala(khala, ['request', '--prompt', 'Record the task', '--repo', repo, '--branch', 'main', '--commit', sha.slice(0, 10), '--verify', 'test -f FIXTURE.md', '--fixture'], { dataDir });
    expect(request.code).toBe(0);
    const assignmentRef = request.stdout.trim();
    expect(assignmentRef).toMatch(/^asg-[0-9a-f]+$/);

    const tail = await runKhala(khala, ['tail', assignmentRef], { dataDir });
    expect(tail.code).toBe(0);
    expect(tail.stdout).toContain('Recorded the task in FIXTURE.md.');
    expect(tail.stdout).not.toContain('\x1b[');
    const chunks = (await runKhala(khala, ['tail', assignmentRef, '--json'], { dataDir })).stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { paneId: string; offset: number; data: string });
    expect(chunks[0]).toMatchObject({ paneId: assignmentRef, offset: 0 });
    expect(chunks.map((chunk) => chunk.data).join('')).toContain('Recorded the task in FIXTURE.md.');

    const closeout = await runKhala(khala, ['closeout', assignmentRef, '--wait'], { dataDir });
    expect(closeout.code).toBe(0);
    expect(closeout.stdout).toContain('ok: true');
    expect(closeout.stdout).toContain('blockers: none');
    expect(closeout.stdout).toContain('paymentMode: no-spend, payoutClaimAllowed: false');

    const json = JSON.parse((await runKhala(khala, ['closeout', assignmentRef, '--json'], { dataDir })).stdout);
    expect(json).toMatchObject({ assignmentRef, ok: true, status: 'ok', blockers: [], closeout: { proof: { paymentMode: 'no-spend', payoutClaimAllowed: false } } });
  });

  it('request refuses a repository that is not on the pinned branch or commit (exit 1), and an unknown assignment is typed', async () => {
    const repo = makeTempRepo();
    const branch = await runKhala(khala, ['request', '--prompt', 'p', '--repo', repo, '--branch', 'release', '--verify', 'true', '--fixture'], { dataDir });
    expect(branch.code).toBe(1);
    expect(branch.stderr).toContain('is on branch main, not the pinned release');
    const commit = await runKhala(khala, ['request', '--prompt', 'p', '--repo', repo, '--commit', 'deadbeef', '--verify', 'true', '--fixture', '--json'], { dataDir });
    expect(commit.code).toBe(1);
    expect(JSON.parse(commit.stderr).error.code).toBe('pin_mismatch');
    const unknown = await runKhala(khala, ['closeout', 'asg-nope'], { dataDir });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).not.toMatch(/\n\s+at /);
  });

  it('run start makes a draft that waits in the inbox; approve starts it; run status and run control steer it', async () => {
    const repo = makeTempRepo();
    const start = await runKhala(
      khala,
      ['run', 'start', '--name', 'nightly', '--fixture-units', '2', '--repo', repo, '--verify', 'true', '--worker', 'fixture', '--concurrency', '1', '--stop', 'manual', '--fixture-duration-ms', '20000'],
      { dataDir },
    );
    expect(start.code).toBe(0);
    const runId = start.stdout.trim();
    expect(start.stderr).toContain(`khala approve ${runId}`);

    const inbox = await runKhala(khala, ['inbox'], { dataDir });
    expect(inbox.stdout).toContain('approval_required  Approve run nightly');
    expect(inbox.stdout).toContain(`  Approve run: khala approve ${runId}`);
    const inboxJson = JSON.parse((await runKhala(khala, ['inbox', '--json'], { dataDir })).stdout) as { action: { kind: string; runId?: string } }[];
    expect(inboxJson.some((item) => item.action.kind === 'approve' && item.action.runId === runId)).toBe(true);

    expect((await runKhala(khala, ['approve', 'run-nothing'], { dataDir })).code).toBe(1);
    const approve = await runKhala(khala, ['approve', runId], { dataDir });
    expect(approve).toMatchObject({ code: 0 });
    expect(approve.stdout).toContain(`Approved run nightly (${runId}): it is running.`);

    const list = await runKhala(khala, ['run', 'status'], { dataDir });
    expect(list.stdout).toMatch(new RegExp(`\\n${runId}\\s+nightly\\s+running`));
    const one = await runKhala(khala, ['run', 'status', runId, '--json'], { dataDir });
    expect(JSON.parse(one.stdout).run).toMatchObject({ id: runId, state: 'running' });

    expect(await runKhala(khala, ['run', 'control', runId, 'pause'], { dataDir })).toMatchObject({ code: 0, stdout: `${runId} is paused\n` });
    const refused = await runKhala(khala, ['run', 'control', runId, 'pause'], { dataDir });
    expect(refused.code).toBe(1);
    expect(refused.stderr.length).toBeGreaterThan(0);
    expect(await runKhala(khala, ['run', 'control', runId, 'stop'], { dataDir })).toMatchObject({ code: 0, stdout: `${runId} is stopped\n` });
  });

  it('dag launch, status (plain, -v, --json, --watch piped), feed, view, report, kill and relaunch-worker mirror the seed\'s scripts', async () => {
    const root = fleetFolder('cli-fleet', [{ id: 'a' }, { id: 'b', depends_on: ['a'] }]);
    const launch = await runKhala(khala, ['dag', 'launch', root], { dataDir });
    expect(launch.code).toBe(0);
    expect(launch.stdout).toContain('Follow it: khala dag status cli-fleet --watch');

    // Piped, --watch prints a frame per change and ends with the fleet.
    const watch = await runKhala(khala, ['dag', 'status', 'cli-fleet', '--watch'], { dataDir });
    expect(watch.code).toBe(0);
    expect(watch.stdout).not.toContain('\x1b[');
    expect(watch.stdout.trimEnd().split('\n\n').at(-2)).toMatch(/^cli-fleet\s+finished/);

    const status = await runKhala(khala, ['dag', 'status', root], { dataDir });
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/\na\s+0\s+succeeded\s+fixture/);
    expect(status.stdout).toMatch(/\nb\s+1\s+succeeded\s+fixture/);
    expect((await runKhala(khala, ['dag', 'status', 'cli-fleet', '-v'], { dataDir })).stdout).toContain('LAST ACTIVITY');
    expect(JSON.parse((await runKhala(khala, ['dag', 'status', 'cli-fleet', '--json'], { dataDir })).stdout).summary).toMatchObject({ name: 'cli-fleet', state: 'finished' });

    const feed = await runKhala(khala, ['dag', 'feed', 'cli-fleet', '--no-follow'], { dataDir });
    expect(feed.code).toBe(0);
    expect(feed.stdout).toMatch(/ a {2}\w+ {2}/);
    expect(feed.stdout).toMatch(/ b {2}\w+ {2}/);
    const onlyB = await runKhala(khala, ['dag', 'feed', 'cli-fleet', '--agent', 'b', '--no-follow'], { dataDir });
    expect(onlyB.stdout).not.toMatch(/ a {2}\w+ {2}/);

    const view = await runKhala(khala, ['dag', 'view', 'cli-fleet', 'a'], { dataDir });
    expect(view.code).toBe(0);
    expect(view.stdout.length).toBeGreaterThan(0);
    expect((await runKhala(khala, ['dag', 'view', 'cli-fleet', 'zz'], { dataDir })).code).toBe(1);

    const report = await runKhala(khala, ['dag', 'report', root], { dataDir });
    expect(report.code).toBe(0);
    expect(report.stdout).toContain('cli-fleet');
    expect(report.stderr).toContain(path.join(root, 'report.md'));

    const notRunning = await runKhala(khala, ['dag', 'kill', 'cli-fleet', 'a'], { dataDir });
    expect(notRunning.code).toBe(1);
    expect(notRunning.stderr).toContain('only a running worker can be killed');

    const cyclic = fleetFolder('cli-loop', [{ id: 'x', depends_on: ['y'] }, { id: 'y', depends_on: ['x'] }]);
    const refused = await runKhala(khala, ['dag', 'launch', cyclic], { dataDir });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/^CYCLE:x,y/);
    expect((await runKhala(khala, ['dag', 'status', 'cli-loop'], { dataDir })).code).toBe(1);
  });

  it('in a terminal, dag status --watch redraws in place, and tail keeps the pane\'s colours', async () => {
    // Long enough that the fleet is still running when the watch starts, so it sees the second worker start and both end.
    const root = fleetFolder('cli-tty', [{ id: 'first', fixture: { durationMs: 2_000 } }, { id: 'second', depends_on: ['first'], fixture: { durationMs: 1_000 } }]);
    expect((await runKhala(khala, ['dag', 'launch', root], { dataDir })).code).toBe(0);
    const watch = await runInTerminal(khala, ['--data-dir', dataDir, 'dag', 'status', 'cli-tty', '--watch']);
    expect(watch.code).toBe(0);
    const frames = watch.screen.split(CLEAR_SCREEN).slice(1);
    expect(frames.length).toBeGreaterThan(1);
    expect(frames.at(-1)).toMatch(/^cli-tty\s+finished/);

    const repo = makeTempRepo();
    const assignmentRef = (await runKhala(khala, ['request', '--prompt', 'Record the task', '--repo', repo, '--verify', 'true', '--fixture'], { dataDir })).stdout.trim();
    const tail = await runInTerminal(khala, ['--data-dir', dataDir, 'tail', assignmentRef]);
    expect(tail.code).toBe(0);
    expect(tail.screen).toContain('Recorded the task in FIXTURE.md.');
    // eslint-disable-next-line no-control-regex -- an SGR escape is what is looked for
    expect(tail.screen).toMatch(/\x1b\[\d+(;\d+)*m/);
  });

  it('dag kill stops a running worker, relaunch-worker runs it again, kill all --force ends the fleet', async () => {
    const root = fleetFolder('cli-long', [{ id: 'slow', fixture: { durationMs: 60_000 } }]);
    expect((await runKhala(khala, ['dag', 'launch', root], { dataDir })).code).toBe(0);
    const kill = await runKhala(khala, ['dag', 'kill', 'cli-long', 'slow'], { dataDir });
    expect(kill).toMatchObject({ code: 0, stdout: 'Killed in cli-long: slow\n' });
    const relaunch = await runKhala(khala, ['dag', 'relaunch-worker', 'cli-long', 'slow'], { dataDir });
    expect(relaunch.code).toBe(0);
    expect(relaunch.stdout).toMatch(/^Relaunched slow in cli-long: (ready|running)\n$/);
    const all = await runKhala(khala, ['dag', 'kill', 'cli-long', 'all', '--force', '--json'], { dataDir });
    expect(all.code).toBe(0);
    expect(JSON.parse(all.stdout).workers).toEqual([expect.objectContaining({ id: 'slow', state: 'killed' })]);
  });

  it('khala serve stopped with workers running leaves them running by default, and the next serve re-adopts them', async () => {
    const ownDir = tempDir();
    const first = await serveHost(khala, ownDir, {}, []);
    const repo = makeTempRepo();
    const request = await runKhala(khala, ['request', '--prompt', 'Outlive the host', '--repo', repo, '--verify', 'true', '--fixture', '--fixture-duration-ms', '5000'], { dataDir: ownDir });
    expect(request.code).toBe(0);
    const assignmentRef = request.stdout.trim();
    first.child.kill('SIGTERM');
    const stopped = await finished(first.child);
    expect(stopped.code).toBe(0);
    expect(stopped.stdout).toContain('1 worker keep running in the background');

    const second = await serveHost(khala, ownDir);
    try {
      const closeout = await runKhala(khala, ['closeout', assignmentRef, '--wait'], { dataDir: ownDir });
      expect(closeout.code).toBe(0);
      expect(closeout.stdout).toContain('ok: true');
    } finally {
      expect(await second.stop()).toBe(0);
    }
  });

  it('dag feed follows live until Ctrl-C', async () => {
    const root = fleetFolder('cli-followed', [{ id: 'solo' }]);
    const follower = startKhala(khala, ['dag', 'feed', root], { dataDir });
    // The fleet is not registered yet: the follower fails fast, so register first and follow after.
    expect((await finished(follower)).code).toBe(1);
    expect((await runKhala(khala, ['dag', 'launch', root], { dataDir })).code).toBe(0);
    const live = startKhala(khala, ['dag', 'feed', 'cli-followed'], { dataDir });
    await waitForOutput(live, / solo {2}\w+ {2}/);
    live.kill('SIGINT');
    expect((await finished(live)).code).toBe(0);
  });
});
