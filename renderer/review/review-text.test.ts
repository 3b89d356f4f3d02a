import { describe, expect, it } from 'vitest';
import type { MergeWave } from '../../shared/review';
import { diffRows } from './diff-rows';
import { diffStatText, hiddenReason, patchChunks, waveSummary } from './review-text';

describe('review text', () => {
  it('counts a change as the card shows it', () => {
    expect(diffStatText({ files: 1, added: 1, removed: 0 })).toBe('+1 -0, 1 file');
    expect(diffStatText({ files: 102, added: 50_001, removed: 12 })).toBe('+50,001 -12, 102 files');
  });

  it('names why a file is not drawn', () => {
    const base = { path: 'a', oldPath: null, status: 'added' as const, added: 3, removed: 0, binary: false, huge: false, patch: 'diff --git a/a b/a' };
    expect(hiddenReason(base)).toBeNull();
    expect(hiddenReason({ ...base, binary: true, patch: null })).toBe('Binary file: not shown.');
    expect(hiddenReason({ ...base, huge: true, added: 25_000, patch: null })).toBe('25,000 changed lines: too large to show here.');
  });

  it('sums a wave up in one line', () => {
    const wave: MergeWave = {
      id: 'w',
      runId: null,
      repoPath: '/r',
      baseBranch: 'main',
      state: 'conflict',
      steps: [
        { assignmentId: 'a', title: 'A', issueNumber: 1, state: 'done', detail: '' },
        { assignmentId: 'b', title: 'B', issueNumber: 2, state: 'conflict', detail: '' },
      ],
      stoppedAt: 'b',
      conflictFiles: ['x'],
      detail: 'B conflicts with main.',
      createdAt: '',
      updatedAt: '',
    };
    expect(waveSummary(wave)).toBe('Stopped (conflict): 1 of 2 merged into main. B conflicts with main.');
    expect(waveSummary({ ...wave, state: 'completed', steps: wave.steps.map((s) => ({ ...s, state: 'done' })) })).toBe('Completed: 2 of 2 merged into main and verified');
  });

  it('cuts a long patch into windows that each place their lines where the whole patch does', () => {
    const added = Array.from({ length: 2_500 }, (_, i) => `+const added${i} = ${i};`);
    const newFile = ['diff --git a/big.ts b/big.ts', 'new file mode 100644', '--- /dev/null', '+++ b/big.ts', '@@ -0,0 +1,2500 @@', ...added, '\\ No newline at end of file'].join('\n');
    const chunks = patchChunks(newFile, 1_000);
    expect(chunks.map((chunk) => chunk.lines)).toEqual([1_000, 1_000, 500]);
    expect(chunks[1]!.patch).toContain('+++ b/big.ts\n@@ -0,0 +1001,1000 @@\n+const added1000 = 1000;');
    expect(chunks[2]!.patch.trimEnd().endsWith('+const added2499 = 2499;\n\\ No newline at end of file')).toBe(true);

    const mixed = [
      'diff --git a/f.ts b/f.ts',
      '--- a/f.ts',
      '+++ b/f.ts',
      '@@ -2,4 +2,4 @@ function f() {',
      ' one',
      '-two',
      '+TWO',
      ' three',
      ' four',
      '@@ -10,0 +11,3 @@',
      '+x',
      '+y',
      '+z',
      '@@ -20,2 +23 @@',
      '-gone',
      ' kept',
    ].join('\n');
    const windows = patchChunks(mixed, 3);
    expect(windows.map((chunk) => chunk.lines)).toEqual([3, 3, 3, 1]);
    expect(windows[1]!.patch).toContain('@@ -4,2 +4,2 @@ function f() {\n three\n four\n@@ -10,0 +11,1 @@\n+x\n');
    // Drawn window by window, the lines are those of the whole patch at the same numbers.
    const lines = (patch: string) =>
      diffRows(patch, 'f.ts', 'f.ts')
        .filter((row) => row.kind !== 'hunk')
        .map((row) => `${row.kind} ${row.oldLine} ${row.newLine} ${row.tokens.map((token) => token.text).join('')}`);
    expect(windows.flatMap((window) => lines(window.patch))).toEqual(lines(mixed));
    expect(lines(mixed).slice(0, 3)).toEqual(['context 2 2 one', 'removed 3 null two', 'added null 3 TWO']);
    expect(patchChunks(mixed, 1_000)).toEqual([{ patch: mixed, lines: 10 }]);
  });

  it('draws rows at their own line numbers, coloured by the diff library\'s highlighter', () => {
    const patch = ['diff --git a/a.ts b/a.ts', '--- a/a.ts', '+++ b/a.ts', '@@ -7,2 +7,2 @@', ' const kept = "<b>";', '-let gone = 1;', '+let added = 2;', '\\ No newline at end of file'].join('\n');
    const rows = diffRows(patch, 'a.ts', 'a.ts');
    expect(rows.map((row) => [row.kind, row.oldLine, row.newLine])).toEqual([
      ['hunk', null, null],
      ['context', 7, 7],
      ['removed', 8, null],
      ['added', null, 8],
      ['note', null, null],
    ]);
    expect(rows[1]!.tokens).toContainEqual({ text: 'const', className: 'hljs-keyword' });
    expect(rows[1]!.tokens.map((token) => token.text).join('')).toBe('const kept = "<b>";');
    expect(rows[4]!.tokens[0]!.text).toBe('No newline at end of file');
    expect(diffRows(patch.replace(/a\.ts/g, 'notes.unknownext'), 'notes.unknownext', 'notes.unknownext')[1]!.tokens).toEqual([{ text: 'const kept = "<b>";', className: '' }]);
  });
});
