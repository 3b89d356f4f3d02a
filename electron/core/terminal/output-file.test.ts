import { existsSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test-support/temp-repo';
import { whenExists } from '../../test-support/when-exists';
import { OutputFile, type OutputFileFault } from './output-file';

function recorder() {
  const faults: OutputFileFault[] = [];
  let wake: () => void = () => undefined;
  const next = () => new Promise<void>((resolve) => (wake = resolve));
  return { faults, onFault: (fault: OutputFileFault) => (faults.push(fault), wake()), next };
}

describe('an output file', () => {
  it('counts what a full disk refused (the kernel returns ENOSPC) and never throws', async () => {
    const file = path.join(tempDir(), 'events.jsonl');
    symlinkSync('/dev/full', file);
    const { faults, onFault, next } = recorder();
    const output = new OutputFile(file, onFault);
    const failed = next();
    const lines = 1_000;
    for (let i = 0; i < lines; i += 1) output.write(`line ${i}\n`);
    await failed;
    await output.close();
    const bytes = Array.from({ length: lines }, (_, i) => `line ${i}\n`.length).reduce((a, b) => a + b, 0);
    expect(faults.map((f) => [f.kind, f.file])).toEqual([['disk_full', 'events.jsonl']]);
    expect(output.loss).toEqual({ file: 'events.jsonl', bytes, fault: 'disk_full' });
    console.log(`ENOSPC: ${lines} writes, ${bytes} bytes, all counted as lost, one fault`);
  });

  it('makes a folder that is gone when it opens, and writes there', async () => {
    const dir = path.join(tempDir(), 'runs', 'task', 'asg');
    const file = path.join(dir, 'transcript.log');
    const { faults, onFault } = recorder();
    const output = new OutputFile(file, onFault);
    output.write('kept\n');
    await output.close();
    expect(readFileSync(file, 'utf8')).toBe('kept\n');
    expect(faults).toEqual([]);
  });

  it('reports a file deleted while it was written, and what it held as lost', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'stderr.log');
    const { faults, onFault } = recorder();
    const output = new OutputFile(file, onFault);
    output.write('gone soon\n');
    await whenExists(file);
    rmSync(dir, { recursive: true, force: true });
    await output.close();
    expect(existsSync(file)).toBe(false);
    expect(faults.map((f) => f.kind)).toEqual(['removed']);
    expect(output.loss.fault).toBe('removed');
  });
});
