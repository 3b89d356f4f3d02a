import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test-support/temp-repo';
import { HostHealth, isDiskFullError } from './host-health';

describe('host health', () => {
  it('records the same fault once with a count, logs it once, and a dismissed fault leaves', () => {
    const logged: string[] = [];
    const health = new HostHealth({ dataDir: tempDir(), log: (line) => logged.push(line) });
    let changes = 0;
    health.onChange(() => (changes += 1));
    const error = Object.assign(new Error('no such table: token_usage_rows'), { code: 'SQLITE_ERROR' });
    const writes = 1_000;
    for (let i = 0; i < writes; i += 1) health.recordError('store_write_failed', error, { assignment: 'asg-1' }, 'a worker event was not recorded');
    const [fault, ...rest] = health.list();
    expect(rest).toEqual([]);
    expect(fault).toMatchObject({ kind: 'store_write_failed', count: writes, refs: { assignment: 'asg-1' } });
    expect(fault!.detail).toBe('a worker event was not recorded: SQLITE_ERROR: no such table: token_usage_rows');
    expect(logged).toHaveLength(1);
    expect(changes).toBe(1);
    health.dismiss(fault!.id);
    expect(health.list()).toEqual([]);
    console.log(`${writes} failing store writes: 1 fault, 1 log line`);
  });

  it('treats ENOSPC, EDQUOT and SQLITE_FULL as a full disk, and a full disk cannot be dismissed', async () => {
    expect(['ENOSPC', 'EDQUOT', 'SQLITE_FULL', 'ENOENT', 'SQLITE_CORRUPT'].map((code) => isDiskFullError({ code }))).toEqual([true, true, true, false, false]);
    // No minimum free space: only the probe write decides, so the check passes on any machine with a byte free.
    const health = new HostHealth({ dataDir: tempDir(), log: () => undefined, minFreeBytes: 0 });
    health.recordError('store_write_failed', Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' }), {}, 'a token row was not recorded');
    expect(health.diskFull?.kind).toBe('disk_full');
    expect(() => health.dismiss('disk_full')).toThrow(/check the disk again/);
    await expect(health.assertRoom()).rejects.toMatchObject({ code: 'disk_full' });
    // The disk of this temp dir has room: a check clears it.
    expect(await health.checkDisk()).toMatchObject({ diskFull: false });
    await expect(health.assertRoom()).resolves.toBeUndefined();
  });

  it('keeps a long error message short in the fault', () => {
    const health = new HostHealth({ dataDir: tempDir(), log: () => undefined });
    health.report('output_write_failed', 'x'.repeat(15_000_000));
    expect(health.list()[0]!.detail.length).toBeLessThanOrEqual(200);
  });
});
