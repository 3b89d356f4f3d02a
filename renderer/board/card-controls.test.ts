import { describe, expect, it } from 'vitest';
import { assignmentStatuses, type Card } from '../../shared/domain';
import { buildCard } from '../data/builders';
import {
  canRetry,
  cardLine,
  cardMeta,
  followUpBlocker,
  isWorkerRunning,
  shellBlocker,
  worktreeRemovalBlocker,
} from './card-controls';

const closedClaude: Card = { ...buildCard('a1'), workerKind: 'claude', status: 'closed', sessionRef: 'session-1' };

describe('card controls', () => {
  it('says a failed card failed, never "completed with blockers"', () => {
    const failed: Card = { ...closedClaude, lastLine: 'completed with blockers', closeout: { ...closedClaude.closeout, status: 'failed', blockers: ['verify_failed'] } };
    expect(cardLine(failed)).toBe('failed');
    expect(cardLine({ ...closedClaude, lastLine: 'completed', closeout: { ...closedClaude.closeout, status: 'ok' } })).toBe('completed');
    expect(cardLine({ ...closedClaude, status: 'running', lastLine: 'turn 2 done' })).toBe('turn 2 done');
  });


  it('interrupts only a running worker and retries only a closed assignment', () => {
    const running = assignmentStatuses.filter((status) => isWorkerRunning({ ...closedClaude, status }));
    const retryable = assignmentStatuses.filter((status) => canRetry({ ...closedClaude, status }));
    expect(running).toEqual(['accepted', 'running']);
    expect(retryable).toEqual(['closed']);
  });

  it('allows a follow-up on a closed provider worker with a session, and says why not otherwise', () => {
    expect(followUpBlocker(closedClaude)).toBeNull();
    expect(followUpBlocker({ ...closedClaude, workerKind: 'fixture' })).toMatch(/no provider session/);
    expect(followUpBlocker({ ...closedClaude, status: 'verifying' })).toMatch(/once the assignment is closed/);
    expect(followUpBlocker({ ...closedClaude, sessionRef: null })).toMatch(/no session to resume/);
  });

  it('removes a kept worktree once closed, and opens shells only while it exists', () => {
    expect(worktreeRemovalBlocker(closedClaude)).toBeNull();
    expect(worktreeRemovalBlocker({ ...closedClaude, status: 'running' })).toMatch(/once the assignment is closed/);
    expect(worktreeRemovalBlocker({ ...closedClaude, worktreeKept: false })).toMatch(/already been removed/);
    expect(shellBlocker({ ...closedClaude, status: 'running' })).toBeNull();
    expect(shellBlocker({ ...closedClaude, worktreeKept: false })).toMatch(/removed/);
  });

  it('lists the worker type, then the model, retry and follow-ups when there are any', () => {
    expect(cardMeta(buildCard('a1'))).toEqual(['code-run']);
    expect(cardMeta({ ...closedClaude, model: 'claude-sonnet-4-5', retryOf: 'a0', followUps: 2 })).toEqual([
      'code-run',
      'claude-sonnet-4-5',
      'retry of a0',
      'follow-ups: 2',
    ]);
  });
});
