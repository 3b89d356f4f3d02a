import { describe, expect, it } from 'vitest';
import type { Card } from '../../shared/domain';
import { buildCard } from '../data/builders';
import { GUIDE_TASK, guideStep } from './first-run';

const guideCard = (overrides: Partial<Card> = {}): Card => ({
  ...buildCard('a1'),
  workerKind: 'fixture',
  runId: null,
  workUnit: { key: 'task:a1', title: GUIDE_TASK.title },
  ...overrides,
});

const empty = { dismissed: false, accounts: 0, runs: 0, cards: [] as Card[] };

describe('where the first-run guide stands', () => {
  it('shows on an empty board and follows its own fixture task to the end', () => {
    expect(guideStep(empty)).toEqual({ step: 'start' });
    const running = guideCard({ status: 'running' });
    expect(guideStep({ ...empty, cards: [running] })).toEqual({ step: 'watch', card: running });
    const closed = guideCard({ status: 'closed', state: 'done' });
    expect(guideStep({ ...empty, cards: [closed] })).toEqual({ step: 'finished', card: closed });
  });

  it('is gone once dismissed, or once the board is no longer new', () => {
    expect(guideStep({ ...empty, dismissed: true })).toEqual({ step: 'hidden' });
    expect(guideStep({ ...empty, accounts: 1 })).toEqual({ step: 'hidden' });
    expect(guideStep({ ...empty, runs: 1 })).toEqual({ step: 'hidden' });
    // Work the owner started elsewhere is theirs, not the guide's.
    expect(guideStep({ ...empty, cards: [guideCard({ workUnit: { key: 'task:a1', title: 'Fix the login bug' } })] })).toEqual({ step: 'hidden' });
    expect(guideStep({ ...empty, cards: [guideCard({ workerKind: 'claude' })] })).toEqual({ step: 'hidden' });
    expect(guideStep({ ...empty, cards: [guideCard(), guideCard({ assignmentId: 'a2' })] })).toEqual({ step: 'hidden' });
  });

  it('stays hidden while anything it reads is still loading, so it never flashes', () => {
    expect(guideStep({ ...empty, dismissed: undefined })).toEqual({ step: 'hidden' });
    expect(guideStep({ ...empty, accounts: undefined })).toEqual({ step: 'hidden' });
    expect(guideStep({ ...empty, runs: undefined })).toEqual({ step: 'hidden' });
    expect(guideStep({ ...empty, cards: undefined })).toEqual({ step: 'hidden' });
  });
});
