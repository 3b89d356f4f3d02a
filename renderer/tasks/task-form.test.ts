import { describe, expect, it } from 'vitest';
import { REPO_PATH_NOT_ABSOLUTE } from '../../shared/runs';
import { initialTaskForm, parseTaskForm } from './task-form';

describe('parseTaskForm', () => {
  it('names every empty required field', () => {
    const parsed = parseTaskForm(initialTaskForm);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.problems).toEqual({
      title: 'Required',
      repoPath: 'Required',
      prompt: 'Required',
      verifyCommand: 'Required',
    });
  });

  it('asks for a number when the duration is blank', () => {
    const parsed = parseTaskForm({
      ...initialTaskForm,
      title: 't',
      repoPath: '/repo',
      prompt: 'p',
      verifyCommand: 'true',
      durationMs: ' ',
    });
    expect(parsed).toEqual({ ok: false, problems: { durationMs: 'Enter a whole number of milliseconds' } });
  });

  it('produces the contract input, fixture options included', () => {
    const parsed = parseTaskForm({
      ...initialTaskForm,
      title: ' Fix flaky test ',
      repoPath: '/repo',
      prompt: 'p',
      verifyCommand: 'npm test',
      durationMs: '250',
      fail: true,
    });
    expect(parsed).toEqual({
      ok: true,
      input: {
        title: 'Fix flaky test',
        repoPath: '/repo',
        prompt: 'p',
        verifyCommand: 'npm test',
        workerKind: 'fixture',
        workerType: 'code-run',
        fixture: { durationMs: 250, fail: true, crash: false, floodBytes: 0 },
      },
    });
  });

  const required = { title: 't', repoPath: '/repo', prompt: 'p', verifyCommand: 'true' };
  const task = { ...initialTaskForm, ...required };

  it('leaves out what a claude task does not set, and the fixture and codex-only options', () => {
    const parsed = parseTaskForm({ ...task, workerKind: 'claude', reasoningEffort: 'high', durationMs: 'x' });
    expect(parsed).toEqual({
      ok: true,
      input: { ...required, workerKind: 'claude', workerType: 'code-run' },
    });
  });

  it('passes a claude task its account, type, model and limits', () => {
    const parsed = parseTaskForm({
      ...task,
      workerKind: 'claude',
      accountRef: 'claude-2',
      workerType: 'reviewer',
      model: ' claude-sonnet-4-5 ',
      maxTurns: '12',
      maxBudgetUsd: '2.5',
    });
    expect(parsed).toMatchObject({
      ok: true,
      input: { accountRef: 'claude-2', workerType: 'reviewer', model: 'claude-sonnet-4-5', maxTurns: 12, maxBudgetUsd: 2.5 },
    });
  });

  it('sends a codex task its reasoning effort but never a budget', () => {
    const parsed = parseTaskForm({ ...task, workerKind: 'codex', reasoningEffort: 'low', maxBudgetUsd: '3' });
    expect(parsed).toEqual({
      ok: true,
      input: { ...required, workerKind: 'codex', workerType: 'code-run', reasoningEffort: 'low' },
    });
  });

  it('names what is wrong with the limits, in the contract bounds', () => {
    expect(parseTaskForm({ ...task, workerKind: 'claude', maxTurns: '2.5', maxBudgetUsd: '0' })).toEqual({
      ok: false,
      problems: { maxTurns: 'Enter a whole number of turns', maxBudgetUsd: 'More than 0' },
    });
    expect(parseTaskForm({ ...task, workerKind: 'claude', maxTurns: '0', maxBudgetUsd: 'lots' })).toEqual({
      ok: false,
      problems: { maxTurns: 'At least 1', maxBudgetUsd: 'Enter an amount in US dollars' },
    });
    expect(parseTaskForm({ ...task, workerKind: 'codex', maxTurns: '5000' })).toEqual({
      ok: false,
      problems: { maxTurns: 'At most 1,000' },
    });
  });

  it('refuses a relative repository path in the core\'s own words, resolving nothing', () => {
    for (const repoPath of ['repo', './repo', '~/repo']) {
      expect(parseTaskForm({ ...task, repoPath })).toEqual({ ok: false, problems: { repoPath: REPO_PATH_NOT_ABSOLUTE } });
    }
  });
});
