import { Fragment } from 'react';
import { snoozeChoices, type InboxItem } from '../../shared/runs';
import { useReconnect } from '../accounts/use-reconnect';
import { BusyButton } from '../app/BusyButton';
import { ErrorNote } from '../app/ErrorNote';
import { useNow } from '../clock';
import { useCards, useInbox } from '../data/queries';
import { formatClock } from '../format';
import { useInboxFind } from '../find/use-inbox-find';
import { useApproveRun, useRunControl } from '../runs/use-run-commands';
import { useUiStore } from '../state/ui-store';
import { inboxKindLabels, snoozeLabels } from './inbox-text';
import { NotifyToggle } from './NotifyToggle';
import { OpenDiffAction, ResolveConflictAction } from '../review/InboxReviewActions';
import { useApproveSpawn, useCheckDisk, useDismissFault, useDismissItem, useSnoozeItem } from './use-host-commands';

export function InboxView() {
  const inbox = useInbox();
  // Creation times are wall-clock times, so they need no ticking clock: only "today or not".
  const now = useNow(false);
  const find = useInboxFind(inbox.data);

  return (
    <div className="inbox">
      <header className="board-head">
        <h1>Inbox</h1>
        <NotifyToggle />
      </header>
      {inbox.isPending && <p className="muted">Loading the inbox…</p>}
      {inbox.isError && <ErrorNote error={inbox.error} />}
      {find.bar}
      {inbox.isSuccess &&
        (inbox.data.length === 0 ? (
          <p className="empty">Nothing needs you</p>
        ) : (
          <div className="inbox-list">
            {find.shown.map((item) => (
              <InboxEntry key={item.id} item={item} now={now} />
            ))}
          </div>
        ))}
    </div>
  );
}

/** What happened, to what, and the one button that resolves it. */
function InboxEntry({ item, now }: { item: InboxItem; now: number }) {
  const refs = Object.entries(item.refs);
  return (
    <article className={`card inbox-item severity-${item.severity}`} aria-label={item.title}>
      <header className="card-head">
        <span className="severity-badge">{item.severity}</span>
        <span className="inbox-kind">{inboxKindLabels[item.kind]}</span>
        <time dateTime={item.createdAt}>{formatClock(item.createdAt, now)}</time>
      </header>
      <h2 className="card-title">{item.title}</h2>
      <p className="inbox-detail">{item.detail}</p>
      {refs.length > 0 && (
        <dl className="card-facts">
          {refs.map(([name, value]) => (
            <Fragment key={name}>
              <dt>{name}</dt>
              <dd>{value}</dd>
            </Fragment>
          ))}
        </dl>
      )}
      <InboxAction item={item} />
      <PutAway item={item} />
    </article>
  );
}

function InboxAction({ item }: { item: InboxItem }) {
  const { action, actionLabel: label } = item;
  switch (action.kind) {
    case 'approve':
      return <ApproveAction runId={action.runId} label={label} />;
    case 'approve_spawn':
      return <ApproveSpawnAction spawnId={action.spawnId} label={label} />;
    case 'resume':
      return <ResumeAction runId={action.runId} label={label} />;
    case 'reconnect':
      return <ReconnectAction accountRef={action.ref} label={label} />;
    case 'open_run':
      return <OpenRunAction runId={action.runId} label={label} />;
    case 'open_worker':
      return <OpenWorkerAction assignmentId={action.assignmentId} label={label} />;
    case 'check_disk':
      return <CheckDiskAction label={label} />;
    case 'dismiss_fault':
      return <DismissFaultAction faultId={action.faultId} label={label} />;
    case 'open_fleet':
      return <OpenFleetAction fleetId={action.fleetId} label={label} />;
    case 'open_diff':
      return <OpenDiffAction assignmentId={action.assignmentId} label={label} />;
    case 'resolve_conflict':
      return <ResolveConflictAction waveId={action.waveId} label={label} />;
    case 'open_accounts':
      return <OpenAccountsAction label={label} />;
  }
}

/** The item's button, with the typed error of the command it ran above it. */
function ActionButton({
  label,
  onClick,
  pending = false,
  error = null,
}: {
  label: string;
  onClick: () => void;
  pending?: boolean;
  error?: unknown;
}) {
  return (
    <footer className="inbox-action">
      {error !== null && <ErrorNote error={error} />}
      <BusyButton className="primary" busy={pending} onClick={onClick}>
        {label}
      </BusyButton>
    </footer>
  );
}

function ApproveAction({ runId, label }: { runId: string; label: string }) {
  const approve = useApproveRun(runId);
  return <ActionButton label={label} pending={approve.isPending} error={approve.error} onClick={() => approve.mutate()} />;
}

function ApproveSpawnAction({ spawnId, label }: { spawnId: string; label: string }) {
  const approve = useApproveSpawn(spawnId);
  return <ActionButton label={label} pending={approve.isPending} error={approve.error} onClick={() => approve.mutate()} />;
}

function ResumeAction({ runId, label }: { runId: string; label: string }) {
  const control = useRunControl(runId);
  return (
    <ActionButton label={label} pending={control.isPending} error={control.error} onClick={() => control.mutate('resume')} />
  );
}

/** Starts the login again and follows it in the Connect dialog over the Accounts view; a refusal stays here. */
function ReconnectAction({ accountRef, label }: { accountRef: string; label: string }) {
  const reconnect = useReconnect(accountRef);
  const showSection = useUiStore((state) => state.showSection);
  return (
    <ActionButton
      label={label}
      pending={reconnect.isPending}
      error={reconnect.error}
      onClick={() => reconnect.mutate(undefined, { onSuccess: () => showSection('accounts') })}
    />
  );
}

function OpenRunAction({ runId, label }: { runId: string; label: string }) {
  const showRun = useUiStore((state) => state.showRun);
  return <ActionButton label={label} onClick={() => showRun(runId)} />;
}

/** Opens the worker's pane with its run selected on the Board, so its card is in view too. */
function OpenWorkerAction({ assignmentId, label }: { assignmentId: string; label: string }) {
  const openWorker = useUiStore((state) => state.openWorker);
  const runId = useCards().data?.find((card) => card.assignmentId === assignmentId)?.runId ?? null;
  return <ActionButton label={label} onClick={() => openWorker(assignmentId, runId)} />;
}

function OpenAccountsAction({ label }: { label: string }) {
  const showSection = useUiStore((state) => state.showSection);
  return <ActionButton label={label} onClick={() => showSection('accounts')} />;
}

function OpenFleetAction({ fleetId, label }: { fleetId: string; label: string }) {
  const showFleet = useUiStore((state) => state.showFleet);
  return <ActionButton label={label} onClick={() => showFleet(fleetId)} />;
}

/** Checks again; a disk that is still full says so here, and the item stays until there is room. */
function CheckDiskAction({ label }: { label: string }) {
  const check = useCheckDisk();
  return (
    <>
      {check.data?.diskFull && <p className="inbox-detail">Still full: {check.data.detail}.</p>}
      <ActionButton label={label} pending={check.isPending} error={check.error} onClick={() => check.mutate()} />
    </>
  );
}

function DismissFaultAction({ faultId, label }: { faultId: string; label: string }) {
  const dismiss = useDismissFault(faultId);
  return <ActionButton label={label} pending={dismiss.isPending} error={dismiss.error} onClick={() => dismiss.mutate()} />;
}

/** Every item can be snoozed (it comes back by itself) or dismissed; a fault's own button already dismisses it. */
function PutAway({ item }: { item: InboxItem }) {
  const dismiss = useDismissItem(item.id);
  const snooze = useSnoozeItem(item.id);
  return (
    <footer className="inbox-dismiss">
      {dismiss.isError && <ErrorNote error={dismiss.error} />}
      {snooze.isError && <ErrorNote error={snooze.error} />}
      {snoozeChoices.map((choice) => (
        <BusyButton
          key={choice}
          busy={snooze.isPending && snooze.variables === choice}
          disabled={snooze.isPending}
          busyText="Snoozing…"
          onClick={() => snooze.mutate(choice)}
        >
          {snoozeLabels[choice]}
        </BusyButton>
      ))}
      {item.action.kind !== 'dismiss_fault' && (
        <BusyButton busy={dismiss.isPending} busyText="Dismissing…" onClick={() => dismiss.mutate()}>
          Dismiss
        </BusyButton>
      )}
    </footer>
  );
}
