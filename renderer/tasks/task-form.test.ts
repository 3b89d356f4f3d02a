import { describe, expect, it } from 'vitest';
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
        fixture: { durationMs: 250, fail: true, crash: false, floodBytes: 0 },
      },
    });
  });
});
