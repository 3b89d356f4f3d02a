import type { FleetPreview } from '../../shared/fleets';
import { BusyButton } from '../app/BusyButton';
import { BridgeError, errorText } from '../bridge/errors';
import { formatCount, plural } from '../format';
import { cycleMembers, cycleText, formatUsd, problemsByWorker, problemText, problemTitles } from './fleet-text';
import { useLaunchFleet } from './use-fleet-commands';

/** A refused launch in words: a cycle by its members, anything else as the core said it. */
function launchErrorText(error: unknown): string {
  if (error instanceof BridgeError && error.code === 'fleet_cycle') return cycleText(cycleMembers(error.message));
  return errorText(error);
}

/** The folder as checked: its problems by name, or its layers and graph with the Launch button. */
export function FleetPreviewView({ preview }: { preview: FleetPreview }) {
  const launch = useLaunchFleet();
  if (preview.problems.length > 0) return <PreviewProblems preview={preview} />;
  return (
    <section className="fleet-preview" aria-label="Fleet preview">
      <p>
        <strong>{preview.fleetName}</strong>: {plural(preview.workers.length, 'worker', 'workers')} in{' '}
        {plural(preview.layers.length, 'layer', 'layers')}, up to {formatCount(preview.maxConcurrent)} at once,{' '}
        {preview.maxBudgetFleet === null ? 'no fleet budget' : `fleet budget ${formatUsd(preview.maxBudgetFleet)}`}.
      </p>
      <ol className="fleet-layers" aria-label="Layers">
        {preview.layers.map((layer, index) => (
          <li key={index}>
            Layer {index + 1}: {layer.join(', ')}
          </li>
        ))}
      </ol>
      <pre className="fleet-text-graph">{preview.ascii}</pre>
      {launch.isError && (
        <p role="alert" className="error">
          {launchErrorText(launch.error)}
        </p>
      )}
      <div className="dialog-actions">
        <BusyButton className="primary" busy={launch.isPending} busyText="Launching…" onClick={() => launch.mutate(preview.root)}>
          Launch
        </BusyButton>
      </div>
    </section>
  );
}

/** Nothing starts while any problem stands; each is named in words, under the worker it belongs to. */
function PreviewProblems({ preview }: { preview: FleetPreview }) {
  const grouped = [...problemsByWorker(preview.problems)];
  return (
    <section className="fleet-preview" aria-label="Fleet preview">
      <div role="alert" className="fleet-problems">
        <p>
          <strong>This fleet cannot launch</strong> until {preview.problems.length === 1 ? 'this problem is' : 'these problems are'}{' '}
          fixed. Nothing was started or created.
        </p>
        <ul>
          {grouped.map(([workerId, problems]) => (
            <li key={workerId ?? ''}>
              {workerId === null ? 'The fleet' : `Worker ${workerId}`}
              <ul>
                {problems.map((problem, index) => (
                  <li key={index}>
                    {problemTitles[problem.code]}: {problemText(problem)}
                  </li>
                ))}
              </ul>
            </li>
          ))}
        </ul>
      </div>
    </section>
  );
}
