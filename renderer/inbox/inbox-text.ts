import type { InboxItem, SnoozeChoice } from '../../shared/runs';
import { formatCount, plural } from '../format';

/** The window's own title, as index.html sets it. */
export const APP_TITLE = 'Khala Fleet Board';

/** "(2) Khala Fleet Board" while something needs the owner, so a background tab shows it. */
export function documentTitle(count: number): string {
  return count > 0 ? `(${formatCount(count)}) ${APP_TITLE}` : APP_TITLE;
}

export function countCritical(items: readonly InboxItem[]): number {
  return items.filter((item) => item.severity === 'critical').length;
}

/**
 * The Inbox rail item's description: "3 items need you, 1 critical". Never the empty state's own words,
 * so "Nothing needs you" is on the page only once.
 */
export function inboxCountText(items: readonly InboxItem[]): string {
  const critical = countCritical(items);
  const count = plural(items.length, 'item needs you', 'items need you');
  return critical > 0 ? `${count}, ${formatCount(critical)} critical` : count;
}

/** What kind of item it is, in words (the UI shows words, not codes). */
export const inboxKindLabels: Record<InboxItem['kind'], string> = {
  disk_full: 'Disk full',
  approval_required: 'Approval required',
  credentials_missing: 'Credentials missing',
  cooldown_all_accounts: 'All accounts cooling down',
  merge_conflict_wave: 'Merge conflicts',
  claim_expired: 'Claim expired',
  run_blocked: 'Run blocked',
  closeout_failed: 'Failed',
  mcp_failed: 'MCP server failed',
  ready_for_review: 'Ready for review',
  budget_reached: 'Fleet budget reached',
  worker_silent: 'Worker silent',
  host_fault: 'Host fault',
  rate_limited: 'Rate limited',
};

/** The Snooze buttons' words. */
export const snoozeLabels: Record<SnoozeChoice, string> = {
  hour: 'Snooze 1 hour',
  tomorrow: 'Snooze until tomorrow',
};
