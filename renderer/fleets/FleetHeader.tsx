import type { FleetSummary } from '../../shared/fleets';
import { useUiStore } from '../state/ui-store';
import { budgetText, countsText, fleetTones, layerText } from './fleet-text';

/** The fleet's state, layer progress and spend against its budget, with Kill all and Report. */
export function FleetHeader({ summary, onReport }: { summary: FleetSummary; onReport: () => void }) {
  const askKillFleet = useUiStore((state) => state.askKillFleet);
  return (
    <section className={`run-header state-${fleetTones[summary.state]}`} aria-label={`Fleet ${summary.name}`}>
      <div className="run-title">
        <h2>{summary.name}</h2>
        <span className="state-badge">{summary.state}</span>
        <span className="run-summary">{layerText(summary)}</span>
      </div>
      <div className="run-controls">
        <button type="button" onClick={onReport}>
          Report
        </button>
        <button type="button" className="danger" disabled={summary.state !== 'running'} onClick={askKillFleet}>
          Kill all
        </button>
      </div>
      <p className="muted run-repo">
        fleet folder <code>{summary.root}</code> · up to {summary.maxConcurrent} at once
      </p>
      <p className="run-progress">{countsText(summary.counts)}</p>
      <p className={summary.budgetReached ? 'fleet-spend budget-reached' : 'fleet-spend'}>{budgetText(summary)}</p>
    </section>
  );
}
