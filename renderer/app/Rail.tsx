import { useId, type ReactNode } from 'react';
import { countReady } from '../accounts/account-text';
import { useAccounts } from '../data/queries';
import { plural } from '../format';
import { useUiStore, type Section } from '../state/ui-store';

export function Rail() {
  const theme = useUiStore((state) => state.theme);
  const toggleTheme = useUiStore((state) => state.toggleTheme);
  const accounts = useAccounts();
  const ready = accounts.data ? countReady(accounts.data) : null;
  const readyId = useId();

  return (
    <nav className="rail" aria-label="Sections">
      <div className="brand" aria-hidden="true">
        Khala
      </div>
      <ul>
        <li>
          <RailItem section="board" label="Board" />
        </li>
        <li>
          {/* The count is hidden from the name and given as a description, so the name stays "Accounts". */}
          <RailItem section="accounts" label="Accounts" describedBy={ready === null ? undefined : readyId}>
            {ready !== null && (
              <span className="rail-count" aria-hidden="true">
                {ready}
              </span>
            )}
          </RailItem>
          {ready !== null && (
            <span id={readyId} hidden>
              {plural(ready, 'account ready', 'accounts ready')}
            </span>
          )}
        </li>
      </ul>
      <button type="button" className="rail-item theme-toggle" aria-pressed={theme === 'light'} onClick={toggleTheme}>
        Light theme
      </button>
    </nav>
  );
}

function RailItem({
  section,
  label,
  describedBy,
  children,
}: {
  section: Section;
  label: string;
  describedBy?: string | undefined;
  children?: ReactNode;
}) {
  const current = useUiStore((state) => state.section === section);
  const showSection = useUiStore((state) => state.showSection);
  return (
    <button
      type="button"
      className="rail-item"
      aria-describedby={describedBy}
      aria-current={current ? 'page' : undefined}
      onClick={() => showSection(section)}
    >
      {label}
      {children}
    </button>
  );
}
