import { FleetError } from '../../../shared/errors';
import { inboxKinds, waitReasonLabels, type InboxItem, type SnoozeChoice } from '../../../shared/runs';
import { maskSecrets } from '../../../shared/secret-mask';
import type { AccountService } from '../accounts/account-service';
import type { Clock } from '../accounts/capacity';
import { RATE_LIMITED } from '../accounts/rate-limits';
import type { AssignmentStore } from '../assignments/assignment-store';
import { projectCard } from '../assignments/cards';
import type { ConnectionHub } from '../connection';
import type { FleetService } from '../fleets/fleet-service';
import { requeueCause } from '../closeout/requeue';
import type { HostFaultKind, HostHealth } from '../health/host-health';
import type { InboxDismissals } from './dismissals';
import type { RunStore } from '../runs/run-store';
import { echoPrefix } from '../router';
import type { Supervisor } from '../runs/supervisor';

/** A running worker that has logged nothing for this long is flagged (never killed: the owner decides). */
export const WORKER_SILENT_MS = 3 * 60 * 1000;
/** An expired claim stays in the Inbox this long, so the owner sees it even after the next claim. */
const CLAIM_EXPIRED_VISIBLE_MS = 10 * 60 * 1000;
/** "For an hour". */
export const SNOOZE_HOUR_MS = 60 * 60 * 1000;
/** "Until tomorrow" means tomorrow at the start of a working day, by the host's clock and time zone. */
export const SNOOZE_TOMORROW_HOUR = 8;

/** When a snooze chosen at `now` ends. */
export function snoozeEnd(choice: SnoozeChoice, now: number): number {
  if (choice === 'hour') return now + SNOOZE_HOUR_MS;
  const tomorrow = new Date(now);
  tomorrow.setDate(tomorrow.getDate() + 1);
  tomorrow.setHours(SNOOZE_TOMORROW_HOUR, 0, 0, 0);
  return tomorrow.getTime();
}

/** What the owner reads for each kind of host fault; the detail says which file or write. */
const HOST_FAULT_TITLES: Record<Exclude<HostFaultKind, 'disk_full'>, string> = {
  output_write_failed: "A worker's output could not be saved",
  output_read_failed: "A worker's output file could not be read",
  output_file_removed: "A worker's output folder was deleted while it ran",
  store_write_failed: 'A record could not be written to the store',
  store_read_failed: 'A record could not be read from the store',
  runner_failed: "A worker's supervision stopped before its closeout",
};

/** The Inbox, derived from the store each time: an item disappears by itself once its cause is gone. */
export class Inbox {
  private last = '';

  constructor(
    private readonly deps: {
      runs: RunStore;
      store: AssignmentStore;
      accounts: AccountService;
      supervisor: Supervisor;
      /** DAG fleets: a fleet whose spend reached its budget launches nothing new. */
      fleets?: Pick<FleetService, 'summaries'>;
      hub: ConnectionHub;
      health: HostHealth;
      silentAfterMs: number;
      /** Review and merge: waves stopped on a conflict, finished one-off work ready for review. */
      reviewItems?: () => InboxItem[];
      /** Items from the agent surfaces: spawns waiting for approval, MCP calls that found no host. */
      agentItems?: () => InboxItem[];
      /** What the owner dismissed or snoozed; without it nothing can be put away. */
      dismissals?: InboxDismissals;
      /** The clock snoozes and silences are read against (tests move it instead of sleeping). */
      now?: Clock;
    },
  ) {}

  private now(): number {
    return this.deps.now?.() ?? Date.now();
  }

  /** What needs the owner, less what the owner dismissed or snoozed (until the snooze ends). */
  items(now = this.now()): InboxItem[] {
    const all = this.allItems(now);
    const { dismissals } = this.deps;
    if (!dismissals) return all;
    dismissals.keepOnly(all);
    dismissals.forgetSnoozesBefore(now);
    return all.filter((item) => !dismissals.isDismissed(item) && !dismissals.isSnoozed(item, now));
  }

  /** The owner has seen the item: it leaves the Inbox until its cause arises again. */
  dismiss(itemId: string): void {
    this.deps.dismissals?.dismiss(this.itemToPutAway(itemId));
    this.refresh();
  }

  /** The owner puts the item aside: it is hidden until the time passes, then back by itself. Returns when. */
  snooze(itemId: string, choice: SnoozeChoice): string {
    const until = snoozeEnd(choice, this.now());
    this.deps.dismissals?.snooze(this.itemToPutAway(itemId), until);
    this.refresh();
    return new Date(until).toISOString();
  }

  private itemToPutAway(itemId: string): InboxItem {
    const item = this.allItems(this.now()).find((candidate) => candidate.id === itemId);
    if (!item || !this.deps.dismissals) throw new FleetError('inbox_item_not_found', `No Inbox item ${echoPrefix(itemId)}.`);
    return item;
  }

  private allItems(now: number): InboxItem[] {
    const { runs, store, accounts, supervisor } = this.deps;
    const items: InboxItem[] = this.hostItems();
    for (const run of runs.list()) {
      const view = supervisor.project(run);
      if (run.state === 'draft' && !run.approvedAt) {
        items.push({
          id: `approval:${run.id}`,
          kind: 'approval_required',
          severity: 'warning',
          title: `Approve run ${run.name}`,
          detail: `${run.workerKind} workers, up to ${run.targetConcurrency} at once, from ${run.source.kind}. Nothing is claimed or spent before you approve.`,
          refs: { run: run.id },
          action: { kind: 'approve', runId: run.id },
          actionLabel: 'Approve run',
          createdAt: run.createdAt,
        });
      }
      if (run.state === 'running' && (view.waiting === 'no_ready_accounts' || view.waiting === 'source_unavailable')) {
        items.push({
          id: `blocked:${run.id}`,
          kind: 'run_blocked',
          severity: 'critical',
          title: `Run ${run.name} is blocked: ${waitReasonLabels[view.waiting]}`,
          detail: view.waitingDetail,
          refs: { run: run.id },
          action: { kind: 'open_run', runId: run.id },
          actionLabel: 'Open run',
          createdAt: run.updatedAt,
        });
      }
      if (run.state === 'running' && view.waiting === 'cooldown_all_accounts') {
        items.push({
          id: `cooldown:${run.id}`,
          kind: 'cooldown_all_accounts',
          severity: 'warning',
          title: `Every account of run ${run.name} is cooling down`,
          detail: view.waitingDetail,
          refs: { run: run.id },
          action: { kind: 'open_run', runId: run.id },
          actionLabel: 'Open run',
          createdAt: run.updatedAt,
        });
      }
      const expired = runs.logOf(run.id).filter((e) => e.kind === 'expired' && now - Date.parse(e.at) < CLAIM_EXPIRED_VISIBLE_MS);
      const latest = expired.at(-1);
      if (latest) {
        items.push({
          id: `expired:${run.id}`,
          kind: 'claim_expired',
          severity: 'warning',
          title: `${expired.length} claim${expired.length === 1 ? '' : 's'} expired in run ${run.name}`,
          detail: `${latest.unitKey}: ${latest.reason}`,
          refs: { run: run.id, unit: latest.unitKey },
          action: { kind: 'open_run', runId: run.id },
          actionLabel: 'Open run',
          createdAt: latest.at,
        });
      }
      // A completed run's work waiting for review is the review service's item (it links the diffs).
    }
    for (const account of accounts.list()) {
      // Only logins can be redone from the Inbox; a token or key account is relinked from Accounts.
      const canReconnect = account.authMethod === 'device' || account.authMethod === 'browser';
      if (canReconnect && (account.readiness === 'not_logged_in' || account.readiness === 'error')) {
        items.push({
          id: `credentials:${account.ref}`,
          kind: 'credentials_missing',
          severity: 'critical',
          title: `Account ${account.ref} needs you to log in again`,
          detail: account.readinessDetail,
          refs: { account: account.ref },
          action: { kind: 'reconnect', ref: account.ref },
          actionLabel: `Reconnect ${account.ref}`,
          createdAt: account.lastCheckedAt ?? account.createdAt,
        });
      }
    }
    for (const assignment of store.unfinished()) {
      const last = store.lastEvent(assignment.id);
      if (assignment.status === 'running' && last && now - Date.parse(last.at) > this.deps.silentAfterMs) {
        items.push({
          id: `silent:${assignment.id}`,
          kind: 'worker_silent',
          severity: 'warning',
          title: `${assignment.title} has been silent since ${last.at}`,
          detail: `Last line: ${last.summary}. Inspect its events before assuming progress; it is not stopped automatically.`,
          refs: { assignment: assignment.id, account: assignment.accountRef },
          action: { kind: 'open_worker', assignmentId: assignment.id },
          actionLabel: 'Open worker',
          createdAt: last.at,
        });
      }
    }
    const rows = store.list();
    const retried = new Set(rows.map((row) => row.retryOf).filter((id) => id !== null));
    /** Each account's latest worker stopped by a rate limit: what the rate-limit item names. */
    const rateLimited = new Map<string, { title: string; at: string }>();
    for (const row of rows) {
      if (row.status !== 'closed' || row.worktreeRemovedAt) continue;
      const card = projectCard(store, row.id);
      const { blockers } = card.closeout;
      const endedAt = card.endedAt ?? card.createdAt;
      if (blockers.includes(RATE_LIMITED) && endedAt >= (rateLimited.get(row.accountRef)?.at ?? '')) {
        rateLimited.set(row.accountRef, { title: row.title, at: endedAt });
      }
      // A failure the owner has not acted on; a fleet worker's shows in its fleet, a budget stop below.
      if (card.closeout.status === 'failed' && !retried.has(row.id) && row.fleetId === null && requeueCause(blockers) === null && !blockers.includes('budget_exhausted')) {
        items.push({
          id: `failed:${row.id}`,
          kind: 'closeout_failed',
          severity: 'warning',
          title: `${row.title} failed`,
          detail: `Blocked by ${blockers.join(', ') || 'its closeout'}. Open it to read why, then retry it or dismiss this.`,
          refs: { assignment: row.id, account: row.accountRef },
          action: { kind: 'open_worker', assignmentId: row.id },
          actionLabel: 'Open worker',
          createdAt: card.endedAt ?? card.createdAt,
        });
      }
      if (card.closeout.blockers.includes('budget_exhausted')) {
        items.push({
          id: `budget:${row.id}`,
          kind: 'budget_reached',
          severity: 'warning',
          title: `${row.title} stopped at its budget`,
          detail: `Account ${row.accountRef}; review its work or retry with a larger budget.`,
          refs: { assignment: row.id },
          action: { kind: 'open_worker', assignmentId: row.id },
          actionLabel: 'Open worker',
          createdAt: card.endedAt ?? card.createdAt,
        });
      }
    }
    items.push(...this.rateLimitItems(now, rateLimited));
    items.push(...this.fleetItems(), ...(this.deps.agentItems?.() ?? []));
    items.push(...(this.deps.reviewItems?.() ?? []));
    const rank = (item: InboxItem) => inboxKinds.indexOf(item.kind);
    // Titles and details quote task titles, worker lines and fault messages: any of them may hold a secret.
    return items
      .map((item) => ({ ...item, title: maskSecrets(item.title), detail: maskSecrets(item.detail) }))
      .sort((a, b) => rank(a) - rank(b) || b.createdAt.localeCompare(a.createdAt));
  }

  /** Each account resting after a rate limit; the host already moved its work, so it is news, not a task. */
  private rateLimitItems(now: number, latest: ReadonlyMap<string, { title: string; at: string }>): InboxItem[] {
    const items: InboxItem[] = [];
    for (const account of this.deps.accounts.list()) {
      if (account.cooldownUntil === null || Date.parse(account.cooldownUntil) <= now) continue;
      const stopped = latest.get(account.ref);
      items.push({
        id: `rate_limited:${account.ref}`,
        kind: 'rate_limited',
        severity: 'info',
        title: `Account ${account.ref} hit its rate limit`,
        detail: `${stopped ? `${stopped.title} was stopped and goes back to the queue. ` : ''}The account rests until ${new Date(account.cooldownUntil).toLocaleString()}; nothing is sent to it before then.`,
        refs: { account: account.ref },
        action: { kind: 'open_accounts' },
        actionLabel: 'Open accounts',
        createdAt: stopped?.at ?? account.cooldownUntil,
      });
    }
    return items;
  }

  /** A DAG fleet at its budget, while it still runs or holds workers back: the operator decides what more to spend. */
  private fleetItems(): InboxItem[] {
    const items: InboxItem[] = [];
    for (const fleet of this.deps.fleets?.summaries() ?? []) {
      if (!fleet.budgetReached || (fleet.state !== 'running' && fleet.counts.held === 0)) continue;
      const spent = `$${fleet.spend.usd.toFixed(2)}${fleet.spend.truth === 'estimate' ? ` (estimate, ${fleet.spend.priceTable})` : ''}`;
      items.push({
        id: `fleet_budget:${fleet.id}`,
        kind: 'budget_reached',
        severity: 'warning',
        title: `Fleet ${fleet.name} reached its budget: no new worker is launched`,
        detail: `Spent ${spent} of $${(fleet.maxBudgetFleet ?? 0).toFixed(2)}. ${fleet.counts.held} held, ${fleet.counts.running} still running (not stopped). Relaunch a held worker to spend more.`,
        refs: { fleet: fleet.id },
        action: { kind: 'open_fleet', fleetId: fleet.id },
        actionLabel: 'Open fleet',
        createdAt: fleet.createdAt,
      });
    }
    return items;
  }

  /** A full disk (dispatch is paused until a check finds room) and the faults the host kept running through. */
  private hostItems(): InboxItem[] {
    return this.deps.health.list().map((fault): InboxItem =>
      fault.kind === 'disk_full'
        ? {
            id: 'host:disk_full',
            kind: 'disk_full',
            severity: 'critical',
            title: 'The disk is full: nothing new is started',
            detail: `${fault.detail}. Running workers keep going; output that cannot be saved is counted on their cards. Free some space, then check again.`,
            refs: fault.refs,
            action: { kind: 'check_disk' },
            actionLabel: 'Check disk again',
            createdAt: fault.at,
          }
        : {
            id: `host:${fault.id}`,
            kind: 'host_fault',
            severity: 'warning',
            title: HOST_FAULT_TITLES[fault.kind],
            detail: fault.count > 1 ? `${fault.detail} (${fault.count} times)` : fault.detail,
            refs: fault.refs,
            action: { kind: 'dismiss_fault', faultId: fault.id },
            actionLabel: 'Dismiss',
            createdAt: fault.at,
          },
    );
  }

  /** Pushes the Inbox when it has changed. */
  refresh(): void {
    const items = this.items();
    const text = JSON.stringify(items);
    if (text === this.last) return;
    this.last = text;
    this.deps.hub.broadcast('inbox.updated', items);
  }
}
