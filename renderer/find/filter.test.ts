import { describe, expect, it } from 'vitest';
import type { Card } from '../../shared/domain';
import type { FleetRun } from '../../shared/runs';
import { buildCard, buildInboxItem, buildRun } from '../data/builders';
import { cardFindable, emptyFilter, facetValues, inboxFindable, isFiltering, matchesFilter, runFindable, type FindFilter } from './filter';

function card(id: string, change: Partial<Card> = {}): Card {
  return { ...buildCard(id), ...change };
}

const search = (text: string, facets: FindFilter['facets'] = {}): FindFilter => ({ text, facets });

describe('matchesFilter over cards', () => {
  const fixCache = card('a1', {
    workUnit: { key: 'issue:12', title: 'Fix the cache' },
    accountRef: 'claude-2',
    workerKind: 'claude',
    lastLine: 'tool: Bash npm test',
    repo: { path: '/src/shop', branch: 'feature/cart', commit: 'c', worktreePath: '/wt' },
    state: 'done',
    runId: 'r1',
  });

  it('lets everything through with no filter', () => {
    expect(matchesFilter(cardFindable(fixCache), emptyFilter)).toBe(true);
    expect(isFiltering(emptyFilter)).toBe(false);
  });

  it('finds by title, account, repository, branch and last message, ignoring case', () => {
    for (const text of ['cache', 'CLAUDE-2', '/src/shop', 'feature/cart', 'npm test', 'issue:12']) {
      expect(matchesFilter(cardFindable(fixCache), search(text)), text).toBe(true);
    }
    expect(matchesFilter(cardFindable(fixCache), search('codex'))).toBe(false);
  });

  it('needs every word, wherever each one is', () => {
    expect(matchesFilter(cardFindable(fixCache), search('  cache   shop '))).toBe(true);
    expect(matchesFilter(cardFindable(fixCache), search('cache billing'))).toBe(false);
  });

  it('says "failed" for a failed closeout, not the store\'s last line', () => {
    const failed = card('a2', {
      status: 'closed',
      lastLine: 'completed with blockers',
      closeout: { status: 'failed', checks: [], blockers: ['verify_failed'], proof: null },
    });
    expect(matchesFilter(cardFindable(failed), search('failed'))).toBe(true);
    expect(matchesFilter(cardFindable(failed), search('blockers'))).toBe(false);
  });

  it('keeps only the chosen state, provider, account, run and repository', () => {
    const item = cardFindable(fixCache);
    expect(matchesFilter(item, search('', { state: 'done', provider: 'claude', account: 'claude-2', run: 'r1', repository: '/src/shop' }))).toBe(true);
    expect(matchesFilter(item, search('', { state: 'working' }))).toBe(false);
    expect(matchesFilter(item, search('', { provider: 'codex' }))).toBe(false);
    expect(matchesFilter(item, search('', { account: 'codex' }))).toBe(false);
    expect(matchesFilter(item, search('', { run: 'r2' }))).toBe(false);
    expect(matchesFilter(item, search('', { repository: '/src/other' }))).toBe(false);
    expect(matchesFilter(item, search('cache', { state: 'failed' }))).toBe(false);
  });

  it('hides an item the chosen facet says nothing about (a one-off task has no run)', () => {
    expect(matchesFilter(cardFindable(card('a3')), search('', { run: 'r1' }))).toBe(false);
  });
});

describe('matchesFilter over runs', () => {
  const run: FleetRun = { ...buildRun('r1'), name: 'Nightly triage', repoPath: '/src/shop', branch: 'dev', state: 'paused', workerKind: 'codex' };

  it('finds a run by name, repository and branch, and filters it by state, provider and repository', () => {
    expect(matchesFilter(runFindable(run), search('nightly'))).toBe(true);
    expect(matchesFilter(runFindable(run), search('shop dev'))).toBe(true);
    expect(matchesFilter(runFindable(run), search('', { state: 'paused', provider: 'codex', repository: '/src/shop' }))).toBe(true);
    expect(matchesFilter(runFindable(run), search('', { state: 'running' }))).toBe(false);
  });
});

describe('matchesFilter over the Inbox', () => {
  const run: FleetRun = { ...buildRun('r1'), name: 'Nightly triage', repoPath: '/src/shop', workerKind: 'codex' };
  const worker = card('a1', { accountRef: 'codex-2', workerKind: 'codex', runId: 'r1', repo: { path: '/src/shop', branch: 'fix', commit: 'c', worktreePath: '/wt' } });
  const cardsById = new Map([[worker.assignmentId, worker]]);
  const runsById = new Map([[run.id, run]]);

  it("fills an item's run, repository and provider from the run it names", () => {
    const item = inboxFindable(buildInboxItem('i1'), cardsById, runsById);
    expect(item.facets).toEqual({ state: 'approval_required', run: 'r1', repository: '/src/shop', provider: 'codex' });
    expect(matchesFilter(item, search('nightly'))).toBe(true);
  });

  it("fills an item's account, run and repository from the assignment it names", () => {
    const failure = { ...buildInboxItem('i2', 'closeout_failed'), refs: { assignment: 'a1' } };
    const item = inboxFindable(failure, cardsById, runsById);
    expect(item.facets).toEqual({ state: 'closeout_failed', account: 'codex-2', run: 'r1', repository: '/src/shop', provider: 'codex' });
    expect(matchesFilter(item, search('', { account: 'codex-2', state: 'closeout_failed' }))).toBe(true);
  });

  it("an account's item has no run, so choosing a run hides it", () => {
    const login = { ...buildInboxItem('i3', 'credentials_missing'), refs: { account: 'claude' } };
    const item = inboxFindable(login, cardsById, runsById);
    expect(matchesFilter(item, search('', { account: 'claude' }))).toBe(true);
    expect(matchesFilter(item, search('', { run: 'r1' }))).toBe(false);
  });
});

describe('facetValues', () => {
  it('offers the distinct values the items have, sorted, and keeps a chosen value that has gone', () => {
    const items = [card('a1', { accountRef: 'codex' }), card('a2', { accountRef: 'claude' }), card('a3', { accountRef: 'codex' })].map(cardFindable);
    expect(facetValues(items, 'account', undefined)).toEqual(['claude', 'codex']);
    expect(facetValues(items, 'account', 'codex-9')).toEqual(['claude', 'codex', 'codex-9']);
    expect(facetValues(items, 'run', undefined)).toEqual([]);
  });
});
