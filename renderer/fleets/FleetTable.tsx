import type { FleetDetail, FleetWorkerView } from '../../shared/fleets';
import { BusyButton } from '../app/BusyButton';
import { ErrorNote } from '../app/ErrorNote';
import { TableHead } from '../app/TableHead';
import { useNow } from '../clock';
import { formatCount, formatElapsed } from '../format';
import { useUiStore } from '../state/ui-store';
import {
  canKill,
  canRelaunch,
  shortMessage,
  silenceText,
  spendText,
  tokensText,
  workerElapsedMs,
  workerStateDescriptions,
  workerTones,
} from './fleet-text';
import { useKillFleetWorker, useRelaunchFleetWorker } from './use-fleet-commands';

const columns = ['Worker', 'State', 'Elapsed', 'Turns', 'Tokens', 'Cost', 'Last message', 'Actions'];

/** Per worker: state, elapsed, turns, tokens, cost and last message, with the operator's controls. */
export function FleetTable({ detail }: { detail: FleetDetail }) {
  const { root } = detail.summary;
  const kill = useKillFleetWorker(root);
  const relaunch = useRelaunchFleetWorker(root);
  // Elapsed and silence move only while something runs.
  const now = useNow(detail.workers.some((worker) => worker.state === 'running'));
  return (
    <>
      {kill.isError && <ErrorNote error={kill.error} />}
      {relaunch.isError && <ErrorNote error={relaunch.error} />}
      <table className="run-table fleet-status" aria-label="Fleet workers">
        <TableHead columns={columns} />
        <tbody>
          {detail.workers.map((worker) => (
            <WorkerRow
              key={worker.id}
              worker={worker}
              now={now}
              killing={kill.isPending && kill.variables === worker.id}
              relaunching={relaunch.isPending && relaunch.variables === worker.id}
              onKill={() => kill.mutate(worker.id)}
              onRelaunch={() => relaunch.mutate(worker.id)}
            />
          ))}
        </tbody>
      </table>
    </>
  );
}

function WorkerRow({
  worker,
  now,
  killing,
  relaunching,
  onKill,
  onRelaunch,
}: {
  worker: FleetWorkerView;
  now: number;
  killing: boolean;
  relaunching: boolean;
  onKill: () => void;
  onRelaunch: () => void;
}) {
  const openPane = useUiStore((state) => state.openPane);
  const editPrompt = useUiStore((state) => state.editPrompt);
  const elapsed = workerElapsedMs(worker, now);
  const silence = silenceText(worker, now);
  const { assignmentId } = worker;
  return (
    <tr className={`run-row state-${workerTones[worker.state]}`} aria-label={`Worker ${worker.id}`}>
      <td>
        {assignmentId ? (
          <button type="button" className="link-button" onClick={() => openPane(assignmentId)}>
            {worker.id}
          </button>
        ) : (
          worker.id
        )}
        <div className="muted">
          {worker.provider} · {worker.type}
          {worker.relaunches > 0 ? ` · relaunched ${formatCount(worker.relaunches)}×` : ''}
        </div>
      </td>
      <td>
        <span className="state-badge" title={workerStateDescriptions[worker.state]}>
          {worker.state}
        </span>
        {worker.reason && <div className="muted">{worker.reason}</div>}
        {silence && <div className="fleet-silence">{silence}</div>}
      </td>
      <td>{elapsed === null ? '—' : formatElapsed(elapsed)}</td>
      <td>{formatCount(worker.turns)}</td>
      <td>{tokensText(worker.tokens)}</td>
      <td>{spendText(worker.spend)}</td>
      <td className="fleet-last-message">{shortMessage(worker.lastMessage) || '—'}</td>
      <td className="fleet-actions">
        {canKill(worker.state) && (
          <BusyButton className="danger" busy={killing} busyText="Killing…" aria-label={`Kill ${worker.id}`} onClick={onKill}>
            Kill
          </BusyButton>
        )}
        {canRelaunch(worker.state) && (
          <BusyButton busy={relaunching} busyText="Relaunching…" aria-label={`Relaunch ${worker.id}`} onClick={onRelaunch}>
            Relaunch
          </BusyButton>
        )}
        <button type="button" aria-label={`Edit prompt of ${worker.id}`} onClick={() => editPrompt(worker.id)}>
          Edit prompt
        </button>
      </td>
    </tr>
  );
}
