import type { MouseEvent } from 'react';
import type { FleetSummary } from '../../shared/fleets';
import { TableHead } from '../app/TableHead';
import { useUiStore } from '../state/ui-store';
import { budgetText, countsText, fleetTones, layerText } from './fleet-text';

export function FleetList({ fleets }: { fleets: readonly FleetSummary[] }) {
  return (
    <table className="run-table fleet-table" aria-label="Fleets">
      <TableHead columns={['Name', 'State', 'Layers', 'Workers', 'Spend']} />
      <tbody>
        {fleets.map((fleet) => (
          <FleetRow key={fleet.id} fleet={fleet} />
        ))}
      </tbody>
    </table>
  );
}

/** The whole row opens the fleet; its name is the button a keyboard reaches. */
function FleetRow({ fleet }: { fleet: FleetSummary }) {
  const showFleet = useUiStore((state) => state.showFleet);
  const open = () => showFleet(fleet.id);
  const openFromButton = (event: MouseEvent) => {
    event.stopPropagation();
    open();
  };
  return (
    <tr className={`run-row state-${fleetTones[fleet.state]}`} onClick={open}>
      <td>
        <button type="button" className="link-button" onClick={openFromButton}>
          {fleet.name}
        </button>
        <div className="muted fleet-root">{fleet.root}</div>
      </td>
      <td>
        <span className="state-badge">{fleet.state}</span>
      </td>
      <td>{layerText(fleet)}</td>
      <td>{countsText(fleet.counts)}</td>
      <td>{budgetText(fleet)}</td>
    </tr>
  );
}
