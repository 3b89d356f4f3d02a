import { create } from 'zustand';

/** What the review surfaces have open: the diff dialog, and the cards picked for a merge wave. */
interface ReviewUiState {
  diffAssignmentId: string | null;
  /** Picked for the next merge wave, in the order they were picked (the core orders the wave itself). */
  selected: string[];
  openDiff(assignmentId: string): void;
  closeDiff(): void;
  toggleSelected(assignmentId: string): void;
  clearSelected(): void;
}

export const useReviewUi = create<ReviewUiState>()((set) => ({
  diffAssignmentId: null,
  selected: [],
  openDiff: (assignmentId) => set({ diffAssignmentId: assignmentId }),
  closeDiff: () => set({ diffAssignmentId: null }),
  toggleSelected: (assignmentId) =>
    set((state) => ({
      selected: state.selected.includes(assignmentId) ? state.selected.filter((id) => id !== assignmentId) : [...state.selected, assignmentId],
    })),
  clearSelected: () => set({ selected: [] }),
}));
