import { spawn } from 'node:child_process';
import { appendFileSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test-support/temp-repo';
import { whenExists } from '../../test-support/when-exists';
import { FileTail } from '../terminal/file-tail';
import { adoptDetached, spawnDetached } from './detached-process';
import { processIdentity } from './process-tree';

function files() {
  const dir = tempDir('khala-detached-');
  return { dir, out: path.join(dir, 'out.log'), err: path.join(dir, 'err.log'), exit: path.join(dir, 'worker.exit'), stdin: path.join(dir, 'prompt.txt') };
}

const env = () => ({ PATH: process.env.PATH ?? '' });

describe.runIf(process.platform === 'linux')('a detached process', () => {
  it('reads its stdin from a file, writes straight to its files, and records its exit status for a host that was not its parent', async () => {
    const f = files();
    writeFileSync(f.stdin, 'the prompt');
    const started = spawnDetached({ command: 'sh', args: ['-c', 'cat; echo oops >&2; exit 3'], cwd: f.dir, env: env(), stdinFile: f.stdin, stdoutFile: f.out, stderrFile: f.err, exitFile: f.exit });
    expect(started.identity?.pid).toBeGreaterThan(0);
    expect(await started.exited).toEqual({ exitCode: 3, signal: null, spawnError: null, statusUnknown: false });
    expect(readFileSync(f.out, 'utf8')).toBe('the prompt');
    expect(readFileSync(f.err, 'utf8')).toBe('oops\n');
    expect(readFileSync(f.exit, 'utf8')).toBe('3\n');
    // A later host finds it ended, from its exit file alone.
    expect(adoptDetached(started.identity, f.exit)).toEqual({ state: 'ended', outcome: { exitCode: 3, signal: null, spawnError: null, statusUnknown: false } });
  });

  it('passes a group interrupt to the command and records the signal it died of', async () => {
    const f = files();
    const running = path.join(f.dir, 'running');
    // Signalled once the command runs: a signal before the wrapper's trap and its command exist is another case.
    const started = spawnDetached({ command: 'sh', args: ['-c', `touch '${running}'; exec sleep 30`], cwd: f.dir, env: env(), stdinFile: null, stdoutFile: f.out, stderrFile: f.out, exitFile: f.exit });
    await whenExists(running);
    started.signal('SIGINT');
    expect(await started.exited).toMatchObject({ exitCode: null, signal: 'SIGINT', statusUnknown: false });
  });

  it('is re-adopted while it is the same process, and followed to its recorded exit', async () => {
    const f = files();
    const gate = path.join(f.dir, 'gate');
    const started = spawnDetached({
      command: 'sh',
      args: ['-c', `while [ ! -e '${gate}' ]; do sleep 0.02; done; exit 5`],
      cwd: f.dir,
      env: env(),
      stdinFile: null,
      stdoutFile: f.out,
      stderrFile: f.out,
      exitFile: f.exit,
    });
    started.release();
    const adoption = adoptDetached(started.identity, f.exit, 10);
    expect(adoption.state).toBe('running');
    writeFileSync(gate, '');
    if (adoption.state !== 'running') return;
    expect(await adoption.process.exited).toMatchObject({ exitCode: 5 });
  });

  it('is never adopted through a recycled pid: a process with its pid but another start time is a stranger', () => {
    const f = files();
    const stranger = spawn('sleep', ['30'], { stdio: 'ignore' });
    try {
      const now = processIdentity(stranger.pid!)!;
      const adoption = adoptDetached({ pid: now.pid, startTime: String(Number(now.startTime) - 1) }, f.exit);
      expect(adoption).toEqual({ state: 'gone', detail: `its process (pid ${now.pid}) is gone and the pid now names another process` });
      expect(processIdentity(stranger.pid!)).toEqual(now);
    } finally {
      stranger.kill('SIGKILL');
    }
  });

  it('with no process recorded, an exit file left by an earlier run is not taken for this one', () => {
    const f = files();
    writeFileSync(f.exit, '0\n');
    expect(adoptDetached(null, f.exit)).toEqual({ state: 'gone', detail: 'it has no recorded process' });
  });

  it('does not start a command that is not there, and says so', async () => {
    const f = files();
    const started = spawnDetached({ command: 'no-such-cli-here', args: [], cwd: f.dir, env: env(), stdinFile: null, stdoutFile: f.out, stderrFile: f.out, exitFile: f.exit });
    expect(started.identity).toBeNull();
    expect(started.startError).toMatch(/ENOENT/);
    expect(await started.exited).toMatchObject({ spawnError: started.startError });
  });
});

describe('a file tail', () => {
  it('reads from its offset, waits for what is appended, and finishes at the end', async () => {
    const file = path.join(tempDir('khala-tail-'), 'events.jsonl');
    writeFileSync(file, 'skipped\n');
    let text = '';
    let end = 0;
    let wake: () => void = () => undefined;
    const tail = new FileTail(file, 'skipped\n'.length, (chunk, at) => {
      text += chunk.toString('utf8');
      end = at;
      wake();
    }, (error) => {
      throw error;
    });
    appendFileSync(file, 'one\n');
    await new Promise<void>((resolve) => (wake = resolve));
    appendFileSync(file, 'two\n');
    await tail.finish();
    expect(text).toBe('one\ntwo\n');
    expect(end).toBe(readFileSync(file).length);
  });

  it('refuses to follow something that is not a regular file (a link to an endless device)', async () => {
    const file = path.join(tempDir('khala-tail-'), 'events.jsonl');
    symlinkSync('/dev/zero', file);
    let bytes = 0;
    const failed = new Promise<NodeJS.ErrnoException>((resolve) => {
      const tail = new FileTail(file, 0, (chunk) => (bytes += chunk.length), resolve);
      void tail.finish();
    });
    expect((await failed).message).toContain('is not a regular file');
    expect(bytes).toBe(0);
  });
});
