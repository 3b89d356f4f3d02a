import type { AssignmentDetail as Detail, CloseoutCheck } from '../../shared/domain';
import { ErrorNote } from '../app/ErrorNote';
import { useAssignment } from '../data/queries';
import { formatCount, plural } from '../format';
import { FollowUpForm } from './FollowUpForm';
import { ReconciliationSection } from './ReconciliationSection';
import { WorktreeSection } from './WorktreeSection';

export function AssignmentDetail({ assignmentId, onFollowUpSent }: { assignmentId: string; onFollowUpSent: () => void }) {
  const detail = useAssignment(assignmentId);
  if (detail.isPending) return <p className="muted detail">Loading assignment…</p>;
  if (detail.isError) return <ErrorNote error={detail.error} className="detail" />;
  return <DetailBody detail={detail.data} onFollowUpSent={onFollowUpSent} />;
}

function DetailBody({ detail, onFollowUpSent }: { detail: Detail; onFollowUpSent: () => void }) {
  const { card, verify, tokenRows, reconciliation } = detail;
  const { closeout } = card;
  const tokenTotal = tokenRows.reduce((sum, row) => sum + row.total, 0);

  return (
    <div className="detail">
      <section aria-label="Closeout">
        <h3>
          Closeout <span className={`closeout-${closeout.status}`}>{closeout.status}</span>
        </h3>
        <ul aria-label="Closeout checklist" className="checklist">
          {closeout.status === 'pending' ? (
            <li className="muted">pending: checks run once the worker and its verify command finish</li>
          ) : (
            closeout.checks.map((check) => <CheckItem key={check.name} check={check} />)
          )}
        </ul>
      </section>
      <FollowUpForm card={card} onSent={onFollowUpSent} />
      <section aria-label="Verify">
        <h3>Verify</h3>
        <p>
          <code>{card.verifyCommand}</code>
        </p>
        {verify ? (
          <>
            <p className={verify.passed ? 'ok' : 'bad'}>
              {verify.passed ? 'passed' : 'failed'} (exit code {verify.exitCode ?? 'none'})
            </p>
            <pre className="verify-output" aria-label="Verify output">
              {verify.output || '(no output)'}
            </pre>
          </>
        ) : (
          <p className="muted">not run yet</p>
        )}
      </section>
      <section aria-label="Token rows">
        <h3>Tokens</h3>
        <p>
          {plural(tokenRows.length, 'exact row', 'exact rows')}, total {formatCount(tokenTotal)}
        </p>
      </section>
      <ReconciliationSection reconciliation={reconciliation} />
      <WorktreeSection card={card} />
    </div>
  );
}

function CheckItem({ check }: { check: CloseoutCheck }) {
  // A check that does not apply (verify, for a DAG fleet worker) is shown as such, never as passed.
  if (check.notApplicable) {
    return (
      <li className="muted">
        <span className="mark">–</span> <span className="check-name">{check.name}</span> <span className="check-detail">not applicable: {check.detail}</span>
      </li>
    );
  }
  return (
    <li className={check.ok ? 'ok' : 'bad'}>
      <span className="mark">{check.ok ? '✓' : '✗'}</span> <span className="check-name">{check.name}</span>
      {check.detail && <span className="check-detail"> {check.detail}</span>}
      {!check.ok && <span className="check-blocker"> blocker: {check.blocker}</span>}
    </li>
  );
}
