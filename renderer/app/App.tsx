import { lazy, useEffect, type ComponentType } from 'react';
import { ConnectAccountDialog } from '../accounts/ConnectAccountDialog';
import { RemoveAccountDialog } from '../accounts/RemoveAccountDialog';
import { Board } from '../board/Board';
import { EventBridge } from '../data/EventBridge';
import { FindOverlays } from '../find/FindOverlays';
import { ComposeFleetDialog } from '../fleets/ComposeFleetDialog';
import { KillFleetDialog } from '../fleets/KillFleetDialog';
import { OpenFleetDialog } from '../fleets/OpenFleetDialog';
import { PromptEditorDialog } from '../fleets/PromptEditorDialog';
import { useInboxTitle } from '../inbox/use-inbox-title';
import { useForgetVanishedPanes } from '../layout/use-forget-vanished';
import { watchSystemTheme } from '../layout/theme';
import { Workspace } from '../layout/Workspace';
import { NewRunDialog } from '../runs/NewRunDialog';
import { StopRunDialog } from '../runs/StopRunDialog';
import { useUiStore, type Section } from '../state/ui-store';
import { NewTaskDialog } from '../tasks/NewTaskDialog';
import { ConnectionBanner } from './ConnectionBanner';
import { LoadBoundary } from './LoadBoundary';
import { Rail } from './Rail';
import { StatusBar } from './StatusBar';
import { useGlobalShortcuts } from './shortcuts';

/**
 * The board is the first screen; the other sections load when first opened (the fleet graph's
 * React Flow among them), so a cold start parses only what the board needs.
 */
const InboxView = lazy(() => import('../inbox/InboxView').then((module) => ({ default: module.InboxView })));
const RunsView = lazy(() => import('../runs/RunsView').then((module) => ({ default: module.RunsView })));
const FleetsView = lazy(() => import('../fleets/FleetsView').then((module) => ({ default: module.FleetsView })));
const AccountsView = lazy(() => import('../accounts/AccountsView').then((module) => ({ default: module.AccountsView })));

const sectionViews: Record<Section, ComponentType> = {
  inbox: InboxView,
  board: Board,
  runs: RunsView,
  fleets: FleetsView,
  accounts: AccountsView,
};

export function App() {
  const theme = useUiStore((state) => state.theme);
  const section = useUiStore((state) => state.section);
  const dialog = useUiStore((state) => state.dialog);
  const removeRef = useUiStore((state) => state.removeRef);
  const stopRunId = useUiStore((state) => state.stopRunId);
  const selectedFleetId = useUiStore((state) => state.selectedFleetId);
  const promptWorkerId = useUiStore((state) => state.promptWorkerId);
  const followSystemTheme = useUiStore((state) => state.followSystemTheme);
  useGlobalShortcuts();
  useForgetVanishedPanes();
  useInboxTitle();
  const SectionView = sectionViews[section];

  // On the root element so the page background and native controls follow the theme too.
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);
  // Live: the OS switching to light or dark (at sunset, say) switches a board that follows it.
  useEffect(() => watchSystemTheme(followSystemTheme), [followSystemTheme]);

  return (
    <div className="app">
      <EventBridge />
      <ConnectionBanner />
      <Rail />
      <Workspace>
        <LoadBoundary key={section} what="This section" fallback={<p className="muted">Loading…</p>}>
          <SectionView />
        </LoadBoundary>
      </Workspace>
      <StatusBar />
      <FindOverlays />
      {dialog === 'new-task' && <NewTaskDialog />}
      {dialog === 'new-run' && <NewRunDialog />}
      {dialog === 'connect-account' && <ConnectAccountDialog />}
      {dialog === 'remove-account' && removeRef !== null && <RemoveAccountDialog accountRef={removeRef} />}
      {dialog === 'stop-run' && stopRunId !== null && <StopRunDialog runId={stopRunId} />}
      {dialog === 'open-fleet' && <OpenFleetDialog />}
      {dialog === 'new-fleet' && <ComposeFleetDialog />}
      {dialog === 'kill-fleet' && selectedFleetId !== null && <KillFleetDialog fleetId={selectedFleetId} />}
      {dialog === 'edit-prompt' && selectedFleetId !== null && promptWorkerId !== null && (
        <PromptEditorDialog fleetId={selectedFleetId} workerId={promptWorkerId} />
      )}
    </div>
  );
}
