import { create } from 'zustand';

/** Whether the command palette or the shortcut list is open; not kept across reloads. */
interface FindUiState {
  palette: boolean;
  help: boolean;
  openPalette(): void;
  openHelp(): void;
  close(): void;
}

export const useFindUi = create<FindUiState>()((set) => ({
  palette: false,
  help: false,
  openPalette: () => set({ palette: true, help: false }),
  openHelp: () => set({ palette: false, help: true }),
  close: () => set({ palette: false, help: false }),
}));
