import { describe, expect, it } from 'vitest';
import { REPO_PATH_NOT_ABSOLUTE } from '../../shared/runs';
import { initialRunForm, parseLabels, parseRunForm, type RunFormValues } from './run-form';

const required = { name: 'Backlog sweep', repoPath: '/repo', verifyCommand: 'npm test' };
const github: RunFormValues = { ...initialRunForm, ...required, sourceKind: 'github', repository: 'acme/app' };

describe('parseRunForm', () => {
  it('names every empty required field', () => {
    expect(parseRunForm(initialRunForm)).toEqual({
      ok: false,
      problems: { name: 'Required', repoPath: 'Required', verifyCommand: 'Required' },
    });
    expect(parseRunForm({ ...github, repository: '' })).toEqual({
      ok: false,
      problems: { repository: 'Use owner/name, e.g. acme/app' },
    });
  });

  it('refuses a relative repository path in the core\'s own words, resolving nothing', () => {
    expect(parseRunForm({ ...initialRunForm, ...required, repoPath: 'src/app' })).toEqual({
      ok: false,
      problems: { repoPath: REPO_PATH_NOT_ABSOLUTE },
    });
  });

  it('starts as a no-spend fixture run of a few units', () => {
    expect(parseRunForm({ ...initialRunForm, ...required })).toMatchObject({
      ok: true,
      input: { source: { kind: 'fixture', units: 5 }, workerKind: 'fixture' },
    });
  });

  it('produces the contract input with the form defaults', () => {
    expect(parseRunForm({ ...github, excludeLabels: ' wontfix, needs-owner ,' })).toEqual({
      ok: true,
      input: {
        ...required,
        source: { kind: 'github', repository: 'acme/app', apiBaseUrl: '', excludeLabels: ['wontfix', 'needs-owner'] },
        // Empty: the core starts at the repository's current branch.
        branch: '',
        workerKind: 'fixture',
        workerType: 'code-run',
        targetConcurrency: 3,
        maxPerAccount: 1,
        stopCondition: 'backlog_empty',
        fixtureDurationMs: 1_500,
      },
    });
  });

  it('checks the API base URL, and accepts an empty one', () => {
    expect(parseRunForm({ ...github, apiBaseUrl: 'github.example.com' })).toEqual({
      ok: false,
      problems: { apiBaseUrl: 'Enter a URL such as https://github.example.com/api/v3, or leave it empty' },
    });
    expect(parseRunForm({ ...github, apiBaseUrl: ' https://ghe.example.com/api/v3 ' })).toMatchObject({
      ok: true,
      input: { source: { apiBaseUrl: 'https://ghe.example.com/api/v3' } },
    });
  });

  it('takes a task list path or a number of fixture units, depending on the source', () => {
    expect(parseRunForm({ ...github, sourceKind: 'task_list', taskListPath: ' ' })).toEqual({
      ok: false,
      problems: { taskListPath: 'Required' },
    });
    expect(parseRunForm({ ...github, sourceKind: 'task_list', taskListPath: '/tasks.md' })).toMatchObject({
      ok: true,
      input: { source: { kind: 'task_list', path: '/tasks.md' } },
    });
    expect(parseRunForm({ ...github, sourceKind: 'fixture', units: '' })).toEqual({
      ok: false,
      problems: { units: 'Enter a whole number of units' },
    });
    expect(parseRunForm({ ...github, sourceKind: 'fixture', units: '12' })).toMatchObject({
      ok: true,
      input: { source: { kind: 'fixture', units: 12 } },
    });
  });

  it('asks for a target count only with that stop condition', () => {
    expect(parseRunForm({ ...github, stopCondition: 'target_count' })).toEqual({
      ok: false,
      problems: { targetCount: 'Enter a whole number of closeouts' },
    });
    const parsed = parseRunForm({ ...github, stopCondition: 'target_count', targetCount: '20' });
    expect(parsed).toMatchObject({ ok: true, input: { stopCondition: 'target_count', targetCount: 20 } });
    expect(parseRunForm({ ...github, stopCondition: 'manual', targetCount: 'x' })).toMatchObject({ ok: true });
  });

  it('sends a fixture duration only for fixture workers', () => {
    const claude = parseRunForm({ ...github, workerKind: 'claude', fixtureDurationMs: 'x' });
    expect(claude).toMatchObject({ ok: true, input: { workerKind: 'claude', fixtureDurationMs: 1_500 } });
    expect(parseRunForm({ ...github, fixtureDurationMs: '' })).toEqual({
      ok: false,
      problems: { fixtureDurationMs: 'Enter a whole number of milliseconds' },
    });
  });

  it('names what is wrong with the limits, in the contract bounds', () => {
    expect(parseRunForm({ ...github, targetConcurrency: '0', maxPerAccount: '65' })).toEqual({
      ok: false,
      problems: { targetConcurrency: 'At least 1', maxPerAccount: 'At most 64' },
    });
    // Hundreds of workers are one run: the accounts' capacity bounds it, not a small constant.
    expect(parseRunForm({ ...github, targetConcurrency: '256' })).toMatchObject({ ok: true, input: { targetConcurrency: 256 } });
    expect(parseRunForm({ ...github, targetConcurrency: '2.5', maxPerAccount: '' })).toEqual({
      ok: false,
      problems: { targetConcurrency: 'Enter a whole number of workers', maxPerAccount: 'Enter a whole number of workers' },
    });
  });
});

describe('parseLabels', () => {
  it('splits on commas and drops blanks', () => {
    expect(parseLabels('')).toEqual([]);
    expect(parseLabels('a,, b ')).toEqual(['a', 'b']);
  });
});
