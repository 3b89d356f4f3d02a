import { create } from 'zustand';

export type Theme = 'dark' | 'light';
export type DialogName = 'new-task';

/** UI state only: what is selected and open. Core data lives in React Query. */
interface UiState {
  /** The assignment whose pane is open on the right; null when no pane is open. */
  selectedAssignmentId: string | null;
  dialog: DialogName | null;
  theme: Theme;
  openPane(assignmentId: string): void;
  closePane(): void;
  openDialog(dialog: DialogName): void;
  closeDialog(): void;
  toggleTheme(): void;
}

export const useUiStore = create<UiState>()((set) => ({
  selectedAssignmentId: null,
  dialog: null,
  theme: 'dark',
  openPane: (assignmentId) => set({ selectedAssignmentId: assignmentId }),
  closePane: () => set({ selectedAssignmentId: null }),
  openDialog: (dialog) => set({ dialog }),
  closeDialog: () => set({ dialog: null }),
  toggleTheme: () => set((state) => ({ theme: state.theme === 'dark' ? 'light' : 'dark' })),
}));
