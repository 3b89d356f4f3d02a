import { create } from 'zustand';

export type Theme = 'dark' | 'light';
export type Section = 'inbox' | 'board' | 'runs' | 'fleets' | 'accounts';
export type DialogName =
  | 'new-task'
  | 'new-run'
  | 'connect-account'
  | 'remove-account'
  | 'stop-run'
  | 'open-fleet'
  | 'new-fleet'
  | 'kill-fleet'
  | 'edit-prompt';

/** UI state only: what is selected and open. Core data lives in React Query. */
interface UiState {
  section: Section;
  /** The assignment whose pane is open on the right; null when no pane is open. */
  selectedAssignmentId: string | null;
  /** The fleet run the Board shows; null shows every card ("All tasks"). */
  selectedRunId: string | null;
  dialog: DialogName | null;
  /** The login the Connect dialog follows; null while it still shows the form. */
  loginId: string | null;
  /** Logins whose dialog was closed before they ended: the Accounts view keeps a note for each. */
  backgroundLoginIds: string[];
  /** The account the Remove confirmation asks about. */
  removeRef: string | null;
  /** The run the Stop confirmation asks about. */
  stopRunId: string | null;
  /** The DAG fleet the Fleets section shows; null lists every fleet. */
  selectedFleetId: string | null;
  /** The fleet worker whose prompt the prompt editor shows. */
  promptWorkerId: string | null;
  theme: Theme;
  /** Open interactive shells: assignment id to the shell's pane id, so a reopened pane reattaches to its shell. */
  shellPanes: Record<string, string>;
  showSection(section: Section): void;
  openPane(assignmentId: string): void;
  closePane(): void;
  selectRun(runId: string | null): void;
  /** Selects the run and shows it on the Board. */
  showRun(runId: string): void;
  /** Shows the Board with the worker's pane open, and its run selected so its card is in view. */
  openWorker(assignmentId: string, runId: string | null): void;
  openDialog(dialog: 'new-task' | 'new-run' | 'connect-account' | 'open-fleet' | 'new-fleet'): void;
  /** Shows the Fleets section on one fleet (null: the list of fleets). */
  showFleet(fleetId: string | null): void;
  /** Kill all asks first. */
  askKillFleet(): void;
  editPrompt(workerId: string): void;
  /** Opens the Connect dialog on an existing login (a reconnect, or a note's "Show login"). */
  followLogin(loginId: string): void;
  /** Closes the Connect dialog without cancelling its login, which stays followed as a note. */
  keepLoginInBackground(): void;
  dismissLogin(loginId: string): void;
  askRemove(ref: string): void;
  askStop(runId: string): void;
  closeDialog(): void;
  toggleTheme(): void;
  rememberShell(assignmentId: string, paneId: string): void;
  forgetShell(assignmentId: string): void;
}

const closedDialog = { dialog: null, loginId: null, removeRef: null, stopRunId: null, promptWorkerId: null } as const;

export const useUiStore = create<UiState>()((set) => ({
  section: 'board',
  selectedAssignmentId: null,
  selectedRunId: null,
  dialog: null,
  loginId: null,
  backgroundLoginIds: [],
  removeRef: null,
  stopRunId: null,
  selectedFleetId: null,
  promptWorkerId: null,
  theme: 'dark',
  shellPanes: {},
  showSection: (section) => set({ section }),
  openPane: (assignmentId) => set({ selectedAssignmentId: assignmentId }),
  closePane: () => set({ selectedAssignmentId: null }),
  selectRun: (runId) => set({ selectedRunId: runId }),
  showRun: (runId) => set({ section: 'board', selectedRunId: runId }),
  openWorker: (assignmentId, runId) => set({ section: 'board', selectedAssignmentId: assignmentId, selectedRunId: runId }),
  openDialog: (dialog) => set({ ...closedDialog, dialog }),
  showFleet: (fleetId) => set({ section: 'fleets', selectedFleetId: fleetId }),
  askKillFleet: () => set({ ...closedDialog, dialog: 'kill-fleet' }),
  editPrompt: (workerId) => set({ ...closedDialog, dialog: 'edit-prompt', promptWorkerId: workerId }),
  followLogin: (loginId) =>
    set((state) => ({
      ...closedDialog,
      dialog: 'connect-account',
      loginId,
      backgroundLoginIds: state.backgroundLoginIds.filter((id) => id !== loginId),
    })),
  keepLoginInBackground: () =>
    set((state) => ({
      ...closedDialog,
      backgroundLoginIds:
        state.loginId === null || state.backgroundLoginIds.includes(state.loginId)
          ? state.backgroundLoginIds
          : [...state.backgroundLoginIds, state.loginId],
    })),
  dismissLogin: (loginId) =>
    set((state) => ({ backgroundLoginIds: state.backgroundLoginIds.filter((id) => id !== loginId) })),
  askRemove: (ref) => set({ ...closedDialog, dialog: 'remove-account', removeRef: ref }),
  askStop: (runId) => set({ ...closedDialog, dialog: 'stop-run', stopRunId: runId }),
  closeDialog: () => set(closedDialog),
  toggleTheme: () => set((state) => ({ theme: state.theme === 'dark' ? 'light' : 'dark' })),
  rememberShell: (assignmentId, paneId) =>
    set((state) => ({ shellPanes: { ...state.shellPanes, [assignmentId]: paneId } })),
  forgetShell: (assignmentId) =>
    set((state) => ({
      shellPanes: Object.fromEntries(Object.entries(state.shellPanes).filter(([id]) => id !== assignmentId)),
    })),
}));
