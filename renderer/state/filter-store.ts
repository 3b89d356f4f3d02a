import { z } from 'zod';
import { create } from 'zustand';
import { persist } from 'zustand/middleware';
import { emptyFilter, findFilterSchema, type Facet, type FindFilter } from '../find/filter';

/** The lists that can be searched and filtered; each keeps its own search, since their states differ. */
export const findViews = ['board', 'runs', 'inbox'] as const;
export type FindView = (typeof findViews)[number];

export const densities = ['comfortable', 'compact'] as const;
export type Density = (typeof densities)[number];

const storedSchema = z.object({
  filters: z.object({ board: findFilterSchema, runs: findFilterSchema, inbox: findFilterSchema }),
  density: z.enum(densities),
});
type Stored = z.infer<typeof storedSchema>;

/** UI state only, kept across reloads: what each list is narrowed to, and how dense the Board's cards are. */
interface FilterState extends Stored {
  setText(view: FindView, text: string): void;
  /** null clears the facet (any value). */
  setFacet(view: FindView, facet: Facet, value: string | null): void;
  clearFilter(view: FindView): void;
  toggleDensity(): void;
}

/** Bumped when the stored shape changes; an older or unreadable copy falls back to no filters. */
const STORE_VERSION = 1;

function updated(filters: Stored['filters'], view: FindView, change: (filter: FindFilter) => FindFilter) {
  return { filters: { ...filters, [view]: change(filters[view]) } };
}

export const useFilterStore = create<FilterState>()(
  persist(
    (set) => ({
      filters: { board: emptyFilter, runs: emptyFilter, inbox: emptyFilter },
      density: 'comfortable',
      setText: (view, text) => set((state) => updated(state.filters, view, (filter) => ({ ...filter, text }))),
      setFacet: (view, facet, value) =>
        set((state) =>
          updated(state.filters, view, (filter) => {
            const rest = Object.fromEntries(Object.entries(filter.facets).filter(([name]) => name !== facet));
            return { ...filter, facets: value === null ? rest : { ...rest, [facet]: value } };
          }),
        ),
      clearFilter: (view) => set((state) => updated(state.filters, view, () => emptyFilter)),
      toggleDensity: () => set((state) => ({ density: state.density === 'compact' ? 'comfortable' : 'compact' })),
    }),
    {
      name: 'khala.filters',
      version: STORE_VERSION,
      partialize: ({ filters, density }): Stored => ({ filters, density }),
      // localStorage is the page's to edit: a copy that does not parse is ignored rather than trusted.
      merge: (persisted, current) => {
        const stored = storedSchema.safeParse(persisted);
        return stored.success ? { ...current, ...stored.data } : current;
      },
    },
  ),
);
