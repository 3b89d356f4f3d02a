import type { FakeIssue, FakePull } from './fake-github-api';

/**
 * The supervisor's test backlog: 12 issues, of which four must be skipped with typed reasons
 * (#3 needs-owner, #5 closed, #7 an open pull request, #9 a merged one) and eight are worked.
 */
export const BACKLOG_REPOSITORY = 'acme/widgets';
export const BACKLOG_ISSUES: FakeIssue[] = Array.from({ length: 12 }, (_, i) => {
  const number = i + 1;
  return {
    number,
    title: `Widget issue ${number}`,
    body: `Make widget ${number} better.`,
    state: number === 5 ? 'closed' : 'open',
    labels: number === 3 ? ['needs-owner'] : ['bug'],
  };
});
export const BACKLOG_PULLS: FakePull[] = [
  { number: 101, head: 'fix-7', title: 'Fix widget 7', body: 'Fixes #7', state: 'open' },
  { number: 102, head: 'fix-9', title: 'Fix widget 9', body: 'Closes #9', state: 'closed', merged: true },
];
export const BACKLOG_SKIPS = { needs_owner: 1, closed: 1, pr_exists: 1, merged: 1 };
export const BACKLOG_WORKED = [1, 2, 4, 6, 8, 10, 11, 12];
