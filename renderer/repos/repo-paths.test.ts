import { describe, expect, it } from 'vitest';
import { folderName, pickedPath, repositoryNote } from './repo-paths';

describe('repository paths in the picker', () => {
  it('names a folder by its last part', () => {
    expect(folderName('/home/owner/code/app')).toBe('app');
    expect(folderName('/home/owner/code/app/')).toBe('app');
    expect(folderName('C:\\work\\api')).toBe('api');
    expect(folderName('/')).toBe('/');
  });

  it('takes a repository as it is and steps into any other folder', () => {
    expect(pickedPath({ path: '/home/owner/app', name: 'app', repository: true })).toBe('/home/owner/app');
    expect(pickedPath({ path: '/home/owner/code', name: 'code', repository: false })).toBe('/home/owner/code/');
  });
});

describe('the note under the path field', () => {
  const info = { root: '/home/owner/app', currentBranch: 'main', branches: ['main'], verifyCommand: null };
  it('names the branch, and the top folder when a sub-folder was typed', () => {
    expect(repositoryNote(info, '/home/owner/app/')).toBe('A git repository on main.');
    expect(repositoryNote(info, '/home/owner/app/src')).toBe('A git repository on main. Work starts from its top folder, /home/owner/app.');
    expect(repositoryNote({ ...info, currentBranch: null }, '/home/owner/app')).toBe('A git repository with no branch checked out (a detached HEAD).');
  });
});
