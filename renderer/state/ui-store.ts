import { create } from 'zustand';

export type Theme = 'dark' | 'light';
export type Section = 'board' | 'accounts';
export type DialogName = 'new-task' | 'connect-account' | 'remove-account';

/** UI state only: what is selected and open. Core data lives in React Query. */
interface UiState {
  section: Section;
  /** The assignment whose pane is open on the right; null when no pane is open. */
  selectedAssignmentId: string | null;
  dialog: DialogName | null;
  /** The login the Connect dialog follows; null while it still shows the form. */
  loginId: string | null;
  /** Logins whose dialog was closed before they ended: the Accounts view keeps a note for each. */
  backgroundLoginIds: string[];
  /** The account the Remove confirmation asks about. */
  removeRef: string | null;
  theme: Theme;
  /** Open interactive shells: assignment id to the shell's pane id, so a reopened pane reattaches to its shell. */
  shellPanes: Record<string, string>;
  showSection(section: Section): void;
  openPane(assignmentId: string): void;
  closePane(): void;
  openDialog(dialog: 'new-task' | 'connect-account'): void;
  /** Opens the Connect dialog on an existing login (a reconnect, or a note's "Show login"). */
  followLogin(loginId: string): void;
  /** Closes the Connect dialog without cancelling its login, which stays followed as a note. */
  keepLoginInBackground(): void;
  dismissLogin(loginId: string): void;
  askRemove(ref: string): void;
  closeDialog(): void;
  toggleTheme(): void;
  rememberShell(assignmentId: string, paneId: string): void;
  forgetShell(assignmentId: string): void;
}

const closedDialog = { dialog: null, loginId: null, removeRef: null } as const;

export const useUiStore = create<UiState>()((set) => ({
  section: 'board',
  selectedAssignmentId: null,
  dialog: null,
  loginId: null,
  backgroundLoginIds: [],
  removeRef: null,
  theme: 'dark',
  shellPanes: {},
  showSection: (section) => set({ section }),
  openPane: (assignmentId) => set({ selectedAssignmentId: assignmentId }),
  closePane: () => set({ selectedAssignmentId: null }),
  openDialog: (dialog) => set({ ...closedDialog, dialog }),
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
  closeDialog: () => set(closedDialog),
  toggleTheme: () => set((state) => ({ theme: state.theme === 'dark' ? 'light' : 'dark' })),
  rememberShell: (assignmentId, paneId) =>
    set((state) => ({ shellPanes: { ...state.shellPanes, [assignmentId]: paneId } })),
  forgetShell: (assignmentId) =>
    set((state) => ({
      shellPanes: Object.fromEntries(Object.entries(state.shellPanes).filter(([id]) => id !== assignmentId)),
    })),
}));
