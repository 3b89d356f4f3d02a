import { create } from 'zustand';
import { createJSONStorage, persist } from 'zustand/middleware';
import * as panes from '../layout/pane-layout';
import { clampShare, DEFAULT_BOARD_SHARE, keepPanesOf, MAX_OPEN_PANES, type PaneLayout } from '../layout/pane-layout';
import { isThemeChoice, otherTheme, resolveTheme, systemTheme, type Theme, type ThemeChoice } from '../layout/theme';

export type { Theme, ThemeChoice } from '../layout/theme';
export const sections = ['inbox', 'board', 'runs', 'fleets', 'accounts'] as const;
export type Section = (typeof sections)[number];
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
  /** Assignment ids of the open worker panes, left to right (two at most). */
  openPanes: string[];
  /** The focused pane's assignment, the one a card's click fills; null when no pane is open. */
  selectedAssignmentId: string | null;
  /** The panes fill the main area and the board steps aside. */
  maximised: boolean;
  /** The board's share of the width beside the panes, in percent. */
  boardShare: number;
  /** The left pane's share of the panes' width when two are open, in percent. */
  splitShare: number;
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
  /** What the owner picked; 'system' follows the OS. */
  themeChoice: ThemeChoice;
  /** The OS palette, kept up to date by a media-query listener. */
  systemTheme: Theme;
  /** The palette showing: the choice, resolved against the OS. */
  theme: Theme;
  /** Open interactive shells: assignment id to the shell's pane id, so a reopened pane reattaches to its shell. */
  shellPanes: Record<string, string>;
  showSection(section: Section): void;
  /** Shows the worker in the focused pane (a pane of its own if none is open). */
  openPane(assignmentId: string): void;
  /** Shows the worker in a second pane beside the focused one. */
  openPaneBeside(assignmentId: string): void;
  /** Closes one pane, the focused one when none is named. */
  closePane(assignmentId?: string): void;
  focusPane(assignmentId: string): void;
  toggleMaximised(): void;
  setBoardShare(share: number): void;
  setSplitShare(share: number): void;
  /** Closes the panes of workers the host does not know (a layout restored over another data dir). */
  keepPanesOf(assignmentIds: ReadonlySet<string>): void;
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
  chooseTheme(choice: ThemeChoice): void;
  /** Picks the palette that is not showing. */
  toggleTheme(): void;
  followSystemTheme(theme: Theme): void;
  rememberShell(assignmentId: string, paneId: string): void;
  forgetShell(assignmentId: string): void;
}

const closedDialog = { dialog: null, loginId: null, removeRef: null, stopRunId: null, promptWorkerId: null } as const;

type PaneState = Pick<UiState, 'openPanes' | 'selectedAssignmentId' | 'maximised'>;

function paneLayoutOf(state: PaneState): PaneLayout {
  return { openPanes: state.openPanes, focusedPane: state.selectedAssignmentId, maximised: state.maximised };
}

function paneStateOf(layout: PaneLayout): PaneState {
  return { openPanes: layout.openPanes, selectedAssignmentId: layout.focusedPane, maximised: layout.maximised };
}

/** Applies one of the pane rules (renderer/layout/pane-layout.ts) to the store. */
function withPanes<A extends unknown[]>(rule: (layout: PaneLayout, ...args: A) => PaneLayout) {
  return (state: PaneState, ...args: A): PaneState => paneStateOf(rule(paneLayoutOf(state), ...args));
}

const openPane = withPanes(panes.openPane);

/** What survives a reload: the layout, where the owner was, and the theme they picked. */
type Remembered = Pick<
  UiState,
  'section' | 'selectedRunId' | 'openPanes' | 'selectedAssignmentId' | 'maximised' | 'boardShare' | 'splitShare' | 'themeChoice'
>;

/** localStorage's key; its origin is the host's address, so each host keeps its own. */
export const UI_STORAGE_KEY = 'khala.ui';

/** Takes what storage holds only where it is well formed: storage is the owner's to edit and can hold anything. */
export function mergeRemembered(stored: unknown, current: UiState): UiState {
  const saved = (typeof stored === 'object' && stored !== null ? stored : {}) as Partial<Record<keyof Remembered, unknown>>;
  const ids = Array.isArray(saved.openPanes)
    ? [...new Set(saved.openPanes.filter((id): id is string => typeof id === 'string'))].slice(0, MAX_OPEN_PANES)
    : [];
  const focused = typeof saved.selectedAssignmentId === 'string' && ids.includes(saved.selectedAssignmentId) ? saved.selectedAssignmentId : (ids.at(-1) ?? null);
  const themeChoice = isThemeChoice(saved.themeChoice) ? saved.themeChoice : current.themeChoice;
  return {
    ...current,
    section: (sections as readonly unknown[]).includes(saved.section) ? (saved.section as Section) : current.section,
    selectedRunId: typeof saved.selectedRunId === 'string' ? saved.selectedRunId : null,
    openPanes: ids,
    selectedAssignmentId: focused,
    maximised: ids.length > 0 && saved.maximised === true,
    boardShare: clampShare(saved.boardShare, current.boardShare),
    splitShare: clampShare(saved.splitShare, current.splitShare),
    themeChoice,
    theme: resolveTheme(themeChoice, current.systemTheme),
  };
}

/** An even split between two panes until the owner drags it. */
const DEFAULT_SPLIT_SHARE = 50;

const initialSystemTheme = systemTheme();

export const useUiStore = create<UiState>()(
  persist(
    (set) => ({
      section: 'board',
      openPanes: [],
      selectedAssignmentId: null,
      maximised: false,
      boardShare: DEFAULT_BOARD_SHARE,
      splitShare: DEFAULT_SPLIT_SHARE,
      selectedRunId: null,
      dialog: null,
      loginId: null,
      backgroundLoginIds: [],
      removeRef: null,
      stopRunId: null,
      selectedFleetId: null,
      promptWorkerId: null,
      themeChoice: 'system',
      systemTheme: initialSystemTheme,
      theme: initialSystemTheme,
      shellPanes: {},
      // Going to a section shows it: a maximised pane steps back beside it.
      showSection: (section) => set({ section, maximised: false }),
      openPane: (assignmentId) => set((state) => openPane(state, assignmentId)),
      openPaneBeside: (assignmentId) => set((state) => withPanes(panes.openPaneBeside)(state, assignmentId)),
      closePane: (assignmentId) =>
        set((state) => {
          const closing = assignmentId ?? state.selectedAssignmentId;
          return closing === null ? state : withPanes(panes.closePane)(state, closing);
        }),
      // A click in the focused pane changes nothing, and so renders nothing.
      focusPane: (assignmentId) =>
        set((state) => (state.selectedAssignmentId === assignmentId ? state : withPanes(panes.focusPane)(state, assignmentId))),
      toggleMaximised: () => set((state) => withPanes(panes.toggleMaximised)(state)),
      setBoardShare: (share) => set((state) => ({ boardShare: clampShare(share, state.boardShare) })),
      setSplitShare: (share) => set((state) => ({ splitShare: clampShare(share, state.splitShare) })),
      keepPanesOf: (assignmentIds) => set((state) => withPanes(keepPanesOf)(state, assignmentIds)),
      selectRun: (runId) => set({ selectedRunId: runId }),
      showRun: (runId) => set({ section: 'board', selectedRunId: runId, maximised: false }),
      openWorker: (assignmentId, runId) => set((state) => ({ section: 'board', selectedRunId: runId, ...openPane(state, assignmentId) })),
      openDialog: (dialog) => set({ ...closedDialog, dialog }),
      showFleet: (fleetId) => set({ section: 'fleets', selectedFleetId: fleetId, maximised: false }),
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
      chooseTheme: (choice) => set((state) => ({ themeChoice: choice, theme: resolveTheme(choice, state.systemTheme) })),
      toggleTheme: () => set((state) => ({ themeChoice: otherTheme(state.theme), theme: otherTheme(state.theme) })),
      followSystemTheme: (theme) => set((state) => ({ systemTheme: theme, theme: resolveTheme(state.themeChoice, theme) })),
      rememberShell: (assignmentId, paneId) =>
        set((state) => ({ shellPanes: { ...state.shellPanes, [assignmentId]: paneId } })),
      forgetShell: (assignmentId) =>
        set((state) => ({
          shellPanes: Object.fromEntries(Object.entries(state.shellPanes).filter(([id]) => id !== assignmentId)),
        })),
    }),
    {
      name: UI_STORAGE_KEY,
      version: 1,
      storage: createJSONStorage(() => localStorage),
      partialize: (state): Remembered => ({
        section: state.section,
        selectedRunId: state.selectedRunId,
        openPanes: state.openPanes,
        selectedAssignmentId: state.selectedAssignmentId,
        maximised: state.maximised,
        boardShare: state.boardShare,
        splitShare: state.splitShare,
        themeChoice: state.themeChoice,
      }),
      merge: mergeRemembered,
    },
  ),
);
