import { Command } from 'cmdk';
import { useEffect, useRef } from 'react';
import { controlAllowed, type FleetRun } from '../../shared/runs';
import { ErrorNote } from '../app/ErrorNote';
import { ModalDialog } from '../app/ModalDialog';
import { themeChoiceLabels, themeChoices } from '../layout/theme';
import { shortcutKeys } from '../app/shortcuts';
import { useCards, useFleets, useRuns } from '../data/queries';
import { controlLabels, isFinished, needsApproval } from '../runs/run-text';
import { useApproveRun, useRunControl } from '../runs/use-run-commands';
import { useFilterStore, findViews, type FindView } from '../state/filter-store';
import { useUiStore, type Section } from '../state/ui-store';
import { useFindUi } from './find-ui';

const sections: readonly { section: Section; label: string; shortcut: string }[] = [
  { section: 'inbox', label: 'Show the Inbox', shortcut: 'show-inbox' },
  { section: 'board', label: 'Show the Board', shortcut: 'show-board' },
  { section: 'runs', label: 'Show Runs', shortcut: 'show-runs' },
  { section: 'fleets', label: 'Show Fleets', shortcut: 'show-fleets' },
  { section: 'accounts', label: 'Show Accounts', shortcut: 'show-accounts' },
];

/** Pause, resume and drain act at once; Stop asks first, as the run header's buttons do. */
const directControls = ['pause', 'resume', 'drain'] as const;

function isFindView(section: Section): section is FindView {
  return (findViews as readonly string[]).includes(section);
}

/** The keys of the action's shortcut, from the shortcut table, so the palette and the `?` list agree. */
function Keys({ shortcut }: { shortcut: string }) {
  const keys = shortcutKeys(shortcut);
  if (!keys) return null;
  return (
    <span className="shortcut-keys" aria-hidden="true">
      {keys.map((key) => (
        <kbd key={key}>{key}</kbd>
      ))}
    </span>
  );
}

/**
 * Ctrl/Cmd+K: every action the menus and buttons have, found by typing. Each item calls the same store
 * function or mutation hook as its button, so an action has one place.
 */
export function CommandPalette() {
  const open = useFindUi((state) => state.palette);
  return open ? <Palette /> : null;
}

function Palette() {
  const close = useFindUi((state) => state.close);
  const openHelp = useFindUi((state) => state.openHelp);
  const ui = useUiStore();
  const density = useFilterStore((state) => state.density);
  const toggleDensity = useFilterStore((state) => state.toggleDensity);
  const clearFilter = useFilterStore((state) => state.clearFilter);
  const cards = useCards();
  const runs = useRuns();
  const fleets = useFleets();
  const selectedFleet = fleets.data?.find((fleet) => fleet.id === ui.selectedFleetId);
  const selectedRun = runs.data?.find((run) => run.id === ui.selectedRunId);
  const inputRef = useRef<HTMLInputElement>(null);
  // After the dialog's showModal (a child's effect runs first), which would focus the list rather than the input.
  useEffect(() => inputRef.current?.focus(), []);

  /** Closes the palette first, so a dialog the action opens takes the focus. */
  const act = (action: () => void) => () => {
    close();
    action();
  };

  return (
    <ModalDialog label="Command palette" onClose={close}>
      <Command label="Commands" className="palette" loop>
        <Command.Input ref={inputRef} placeholder="Type a command, a run or a worker's title" aria-label="Command" />
        <Command.List>
          <Command.Empty>No command matches.</Command.Empty>
          <Command.Group heading="Actions">
            <Command.Item value="New task" onSelect={act(() => ui.openDialog('new-task'))}>
              New task <Keys shortcut="new-task" />
            </Command.Item>
            <Command.Item value="New run" onSelect={act(() => ui.openDialog('new-run'))}>
              New run <Keys shortcut="new-run" />
            </Command.Item>
            <Command.Item value="Connect account" onSelect={act(() => ui.openDialog('connect-account'))}>
              Connect account
            </Command.Item>
            <Command.Item value="Open fleet folder" onSelect={act(() => ui.openDialog('open-fleet'))}>
              Open fleet folder
            </Command.Item>
            <Command.Item value="New fleet" onSelect={act(() => ui.openDialog('new-fleet'))}>
              New fleet
            </Command.Item>
            {ui.selectedAssignmentId !== null && (
              <Command.Item value="Close the pane" onSelect={act(ui.closePane)}>
                Close the pane <Keys shortcut="close-pane" />
              </Command.Item>
            )}
            {/* The Rail's theme picker's choices, through the same store function. */}
            {themeChoices
              .filter((choice) => choice !== ui.themeChoice)
              .map((choice) => (
                <Command.Item key={choice} value={`Theme: ${themeChoiceLabels[choice]}`} onSelect={act(() => ui.chooseTheme(choice))}>
                  Theme: {themeChoiceLabels[choice]}
                </Command.Item>
              ))}
            <Command.Item value="Card density" keywords={['compact', 'comfortable', 'cards']} onSelect={act(toggleDensity)}>
              {density === 'compact' ? 'Comfortable cards' : 'Compact cards'}
            </Command.Item>
            {isFindView(ui.section) && (
              <Command.Item value="Clear search and filters" onSelect={act(() => clearFilter(ui.section as FindView))}>
                Clear search and filters
              </Command.Item>
            )}
            <Command.Item value="Show keyboard shortcuts" onSelect={openHelp}>
              Show keyboard shortcuts <Keys shortcut="help" />
            </Command.Item>
          </Command.Group>
          <Command.Group heading="Go to">
            {sections.map(({ section, label, shortcut }) => (
              <Command.Item key={section} value={label} onSelect={act(() => ui.showSection(section))}>
                {label} <Keys shortcut={shortcut} />
              </Command.Item>
            ))}
          </Command.Group>
          {selectedRun && <SelectedRunActions run={selectedRun} onDone={close} />}
          {runs.data && runs.data.length > 0 && (
            <Command.Group heading="Runs">
              {runs.data.map((run) => (
                <Command.Item key={run.id} value={`Show run ${run.name} ${run.id}`} onSelect={act(() => ui.showRun(run.id))}>
                  Show run {run.name}
                </Command.Item>
              ))}
            </Command.Group>
          )}
          {fleets.data && fleets.data.length > 0 && (
            <Command.Group heading="Fleets">
              {/* Kill asks first, and only a running fleet offers it, as the fleet's header does. */}
              {ui.section === 'fleets' && selectedFleet?.state === 'running' && (
                <Command.Item value={`Kill fleet ${selectedFleet.name}`} onSelect={act(ui.askKillFleet)}>
                  Kill fleet {selectedFleet.name}…
                </Command.Item>
              )}
              {fleets.data.map((fleet) => (
                <Command.Item key={fleet.id} value={`Show fleet ${fleet.name} ${fleet.id}`} onSelect={act(() => ui.showFleet(fleet.id))}>
                  Show fleet {fleet.name}
                </Command.Item>
              ))}
            </Command.Group>
          )}
          {cards.data && cards.data.length > 0 && (
            <Command.Group heading="Workers">
              {cards.data.map((card) => (
                <Command.Item
                  key={card.assignmentId}
                  value={`Open pane ${card.workUnit.title} ${card.assignmentId}`}
                  keywords={[card.accountRef, card.state]}
                  onSelect={act(() => ui.openWorker(card.assignmentId, card.runId))}
                >
                  Open pane: {card.workUnit.title}
                </Command.Item>
              ))}
            </Command.Group>
          )}
        </Command.List>
      </Command>
    </ModalDialog>
  );
}

/**
 * The selected run's controls, as its header offers them. The palette stays open until the host answers,
 * so a refused control is said here rather than lost.
 */
function SelectedRunActions({ run, onDone }: { run: FleetRun; onDone: () => void }) {
  const control = useRunControl(run.id);
  const approve = useApproveRun(run.id);
  const askStop = useUiStore((state) => state.askStop);
  if (isFinished(run)) return null;
  return (
    <Command.Group heading={`Run ${run.name}`}>
      {control.isError && <ErrorNote error={control.error} />}
      {approve.isError && <ErrorNote error={approve.error} />}
      {needsApproval(run) && (
        <Command.Item value={`Approve run ${run.name}`} disabled={approve.isPending} onSelect={() => approve.mutate(undefined, { onSuccess: onDone })}>
          Approve run {run.name}
        </Command.Item>
      )}
      {directControls
        .filter((name) => controlAllowed(name, run.state))
        .map((name) => (
          <Command.Item
            key={name}
            value={`${controlLabels[name]} run ${run.name}`}
            disabled={control.isPending}
            onSelect={() => control.mutate(name, { onSuccess: onDone })}
          >
            {controlLabels[name]} run {run.name}
          </Command.Item>
        ))}
      {controlAllowed('stop', run.state) && (
        <Command.Item value={`${controlLabels.stop} run ${run.name}`} onSelect={() => {
            onDone();
            askStop(run.id);
          }}>
          {controlLabels.stop} run {run.name}…
        </Command.Item>
      )}
    </Command.Group>
  );
}
