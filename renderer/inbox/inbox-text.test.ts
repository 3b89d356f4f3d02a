import { describe, expect, it } from 'vitest';
import { buildInboxItem } from '../data/builders';
import { inboxKinds } from '../../shared/runs';
import { documentTitle, inboxCountText, inboxKindLabels } from './inbox-text';

describe('documentTitle', () => {
  it('puts the count in front of the title, and nothing when the inbox is empty', () => {
    expect(documentTitle(2)).toBe('(2) Khala Fleet Board');
    expect(documentTitle(0)).toBe('Khala Fleet Board');
  });
});

describe('inboxCountText', () => {
  it('counts the items and says how many are critical', () => {
    const warning = buildInboxItem('a');
    const critical = { ...buildInboxItem('b'), severity: 'critical' as const };
    expect(inboxCountText([])).toBe('0 items need you');
    expect(inboxCountText([warning])).toBe('1 item needs you');
    expect(inboxCountText([warning, critical])).toBe('2 items need you, 1 critical');
  });
});

describe('inboxKindLabels', () => {
  it('names every kind in words, never by its code', () => {
    for (const kind of inboxKinds) expect(inboxKindLabels[kind]).not.toMatch(/_/);
    expect(inboxKindLabels.budget_reached).toBe('Fleet budget reached');
  });
});
