import { describe, expect, it } from 'vitest';
import type { RepositoryInfo } from '../../shared/repos';
import { repoDefaults } from './repo-defaults';

const info: RepositoryInfo = { root: '/home/owner/app', currentBranch: 'develop', branches: ['develop', 'main'], verifyCommand: 'npm test' };

describe('what a picked repository fills in', () => {
  it('the remembered verify command, only where none is typed', () => {
    expect(repoDefaults({ verifyCommand: '' }, info)).toEqual({ verifyCommand: 'npm test' });
    expect(repoDefaults({ verifyCommand: '  ' }, info)).toEqual({ verifyCommand: 'npm test' });
    expect(repoDefaults({ verifyCommand: 'make check' }, info)).toEqual({});
    expect(repoDefaults({ verifyCommand: '' }, { ...info, verifyCommand: null })).toEqual({});
  });

  it('the current branch, unless the branch chosen is one of the repository’s own', () => {
    expect(repoDefaults({ verifyCommand: 'x', branch: '' }, info)).toEqual({ branch: 'develop' });
    expect(repoDefaults({ verifyCommand: 'x', branch: 'main' }, info)).toEqual({});
    // A branch of the repository picked before is not this one's.
    expect(repoDefaults({ verifyCommand: 'x', branch: 'feature/old' }, info)).toEqual({ branch: 'develop' });
    // A detached HEAD leaves the choice to the owner.
    expect(repoDefaults({ verifyCommand: 'x', branch: 'feature/old' }, { ...info, currentBranch: null })).toEqual({ branch: '' });
  });
});
