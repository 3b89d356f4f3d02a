import { ErrorNote } from '../app/ErrorNote';
import { useFleets } from '../data/queries';
import { useUiStore } from '../state/ui-store';
import { FleetList } from './FleetList';
import { FleetView } from './FleetView';

/** Every DAG fleet, or one of them as its graph, table, feed and report. */
export function FleetsView() {
  const fleets = useFleets();
  const selectedFleetId = useUiStore((state) => state.selectedFleetId);
  const showFleet = useUiStore((state) => state.showFleet);
  const openDialog = useUiStore((state) => state.openDialog);
  const selected = fleets.data?.find((fleet) => fleet.id === selectedFleetId);

  return (
    <div className="fleets">
      <header className="board-head">
        <h1>Fleets</h1>
        <div className="fleet-head-actions">
          {selectedFleetId !== null && (
            <button type="button" onClick={() => showFleet(null)}>
              All fleets
            </button>
          )}
          <button type="button" onClick={() => openDialog('open-fleet')}>
            Open fleet folder
          </button>
          <button type="button" className="primary" onClick={() => openDialog('new-fleet')}>
            New fleet
          </button>
        </div>
      </header>
      {fleets.isPending && <p className="muted">Loading fleets…</p>}
      {fleets.isError && <ErrorNote error={fleets.error} />}
      {fleets.isSuccess && selectedFleetId !== null && !selected && <p className="muted">This fleet is not in the list.</p>}
      {fleets.isSuccess && selected && <FleetView key={selected.id} summary={selected} />}
      {fleets.isSuccess &&
        selectedFleetId === null &&
        (fleets.data.length === 0 ? (
          <p className="empty">
            No fleets yet. <strong>Open fleet folder</strong> opens a folder with a fleet.json; <strong>New fleet</strong>{' '}
            writes one.
          </p>
        ) : (
          <FleetList fleets={fleets.data} />
        ))}
    </div>
  );
}
