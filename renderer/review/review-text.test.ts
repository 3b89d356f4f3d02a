import { describe, expect, it } from 'vitest';
import type { MergeWave } from '../../shared/review';
import { diffStatText, hiddenReason, sidesOfPatch, waveSummary } from './review-text';

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

  it('places the lines a patch shows at their own numbers on each side', () => {
    const patch = [
      'diff --git a/f.ts b/f.ts',
      '--- a/f.ts',
      '+++ b/f.ts',
      '@@ -2,3 +2,3 @@ context',
      ' const a = 1;',
      '-const b = 2;',
      '+const b = 3;',
      ' const c = 4;',
      '\\ No newline at end of file',
    ].join('\n');
    expect(sidesOfPatch(patch)).toEqual({
      oldText: '\nconst a = 1;\nconst b = 2;\nconst c = 4;',
      newText: '\nconst a = 1;\nconst b = 3;\nconst c = 4;',
    });
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
});
