import { useEffect } from 'react';
import { AccountsView } from '../accounts/AccountsView';
import { ConnectAccountDialog } from '../accounts/ConnectAccountDialog';
import { RemoveAccountDialog } from '../accounts/RemoveAccountDialog';
import { Board } from '../board/Board';
import { EventBridge } from '../data/EventBridge';
import { Pane } from '../pane/Pane';
import { useUiStore } from '../state/ui-store';
import { NewTaskDialog } from '../tasks/NewTaskDialog';
import { ConnectionBanner } from './ConnectionBanner';
import { Rail } from './Rail';
import { StatusBar } from './StatusBar';
import { useGlobalShortcuts } from './shortcuts';

export function App() {
  const theme = useUiStore((state) => state.theme);
  const section = useUiStore((state) => state.section);
  const dialog = useUiStore((state) => state.dialog);
  const removeRef = useUiStore((state) => state.removeRef);
  const selectedAssignmentId = useUiStore((state) => state.selectedAssignmentId);
  useGlobalShortcuts();

  // On the root element so the page background and native controls follow the theme too.
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);

  return (
    <div className={selectedAssignmentId ? 'app with-pane' : 'app'}>
      <EventBridge />
      <ConnectionBanner />
      <Rail />
      <main className="main">{section === 'board' ? <Board /> : <AccountsView />}</main>
      {selectedAssignmentId && (
        <aside className="pane-area" aria-label="Worker pane">
          <Pane key={selectedAssignmentId} assignmentId={selectedAssignmentId} />
        </aside>
      )}
      <StatusBar />
      {dialog === 'new-task' && <NewTaskDialog />}
      {dialog === 'connect-account' && <ConnectAccountDialog />}
      {dialog === 'remove-account' && removeRef !== null && <RemoveAccountDialog accountRef={removeRef} />}
    </div>
  );
}
