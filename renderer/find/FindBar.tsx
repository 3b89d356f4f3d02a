import { useMemo, type ReactNode } from 'react';
import { useFilterStore, type FindView } from '../state/filter-store';
import { facetValues, isFiltering, matchesFilter, type Facet, type Findable } from './filter';
import './find.css';

/** A facet the view offers a picker for, and how its values read. */
export interface FacetChoice {
  facet: Facet;
  label: string;
  valueLabel?: (value: string) => string;
}

const viewNouns: Record<FindView, string> = { board: 'workers', runs: 'runs', inbox: 'the Inbox' };

/**
 * A view's search: the items its stored filter lets through, and the bar that edits that filter.
 * Every view narrows its list with the same rule (matchesFilter), so a search reads the same everywhere.
 */
export function useFind<T>(
  view: FindView,
  items: readonly T[],
  toFindable: (item: T) => Findable,
  choices: readonly FacetChoice[],
  extra?: ReactNode,
): { shown: T[]; bar: ReactNode; filtering: boolean } {
  const filter = useFilterStore((state) => state.filters[view]);
  const findables = useMemo(() => items.map(toFindable), [items, toFindable]);
  const shown = useMemo(
    () => items.filter((_, index) => matchesFilter(findables[index]!, filter)),
    [items, findables, filter],
  );
  const filtering = isFiltering(filter);
  const bar = (
    <FindBar view={view} findables={findables} choices={choices} shownCount={shown.length} filtering={filtering}>
      {extra}
    </FindBar>
  );
  return { shown, bar, filtering };
}

function FindBar({
  view,
  findables,
  choices,
  shownCount,
  filtering,
  children,
}: {
  view: FindView;
  findables: readonly Findable[];
  choices: readonly FacetChoice[];
  shownCount: number;
  filtering: boolean;
  children?: ReactNode;
}) {
  const filter = useFilterStore((state) => state.filters[view]);
  const setText = useFilterStore((state) => state.setText);
  const setFacet = useFilterStore((state) => state.setFacet);
  const clearFilter = useFilterStore((state) => state.clearFilter);

  return (
    <div className="find-bar" role="search" aria-label={`Search ${viewNouns[view]}`}>
      <input
        type="search"
        className="find-text"
        aria-label="Search text"
        placeholder="Search title, account, repository, branch, message"
        value={filter.text}
        onChange={(event) => setText(view, event.target.value)}
      />
      {choices.map(({ facet, label, valueLabel }) => {
        const chosen = filter.facets[facet];
        return (
          <label key={facet} className="find-facet">
            <span>{label}</span>
            <select value={chosen ?? ''} onChange={(event) => setFacet(view, facet, event.target.value || null)}>
              <option value="">Any</option>
              {facetValues(findables, facet, chosen).map((value) => (
                <option key={value} value={value}>
                  {valueLabel ? valueLabel(value) : value}
                </option>
              ))}
            </select>
          </label>
        );
      })}
      {/* Always present, so a screen reader hears the count change as the owner types. */}
      <span role="status" className="find-count">
        {filtering ? `${shownCount} of ${findables.length} shown` : ''}
      </span>
      {filtering && (
        <button type="button" onClick={() => clearFilter(view)}>
          Clear filters
        </button>
      )}
      {children}
    </div>
  );
}

/** Said instead of an empty list when the list has items but the search hides them all. */
export function NoMatches({ view }: { view: FindView }) {
  const clearFilter = useFilterStore((state) => state.clearFilter);
  return (
    <p className="empty">
      Nothing matches the search and filters.{' '}
      <button type="button" className="link-button" onClick={() => clearFilter(view)}>
        Show everything
      </button>
    </p>
  );
}
