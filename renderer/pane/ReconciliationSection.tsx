import type { Reconciliation } from '../../shared/domain';
import { TableHead } from '../app/TableHead';
import { formatCount } from '../format';

function MatchCell({ match }: { match: boolean }) {
  return <td className={match ? 'ok' : 'bad'}>{match ? '✓' : '✗'}</td>;
}

/** Each provider turn's reported total against the exact token rows recorded for it. */
export function ReconciliationSection({ reconciliation }: { reconciliation: Reconciliation }) {
  const { turns, reportedTotal, rowsTotal, match } = reconciliation;
  return (
    <section aria-label="Token reconciliation">
      <h3>Reconciliation</h3>
      <table className="reconciliation">
        <TableHead columns={['Turn', 'Reported', 'Rows', 'Match']} />
        <tbody>
          {turns.length === 0 ? (
            <tr>
              <td colSpan={4} className="muted">
                no provider turns reported yet
              </td>
            </tr>
          ) : (
            turns.map((turn) => (
              <tr key={turn.turn}>
                <td>{turn.turn}</td>
                <td>{formatCount(turn.reportedTotal)}</td>
                <td>{turn.rowTotal === null ? 'no row' : formatCount(turn.rowTotal)}</td>
                <MatchCell match={turn.match} />
              </tr>
            ))
          )}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">Total</th>
            <td>{formatCount(reportedTotal)}</td>
            <td>{formatCount(rowsTotal)}</td>
            <MatchCell match={match} />
          </tr>
        </tfoot>
      </table>
      <p className={match ? 'ok' : 'bad'}>{match ? "rows match the provider's reported totals" : 'MISMATCH'}</p>
    </section>
  );
}
