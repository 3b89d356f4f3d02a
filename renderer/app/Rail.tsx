import { useId, type ReactNode } from 'react';
import { countReady } from '../accounts/account-text';
import { useAccounts, useInbox } from '../data/queries';
import { plural } from '../format';
import { READY_COUNT_TICK_MS, useNow } from '../clock';
import { countCritical, inboxCountText } from '../inbox/inbox-text';
import { themeChoiceLabels, themeChoices, type ThemeChoice } from '../layout/theme';
import { useUiStore, type Section } from '../state/ui-store';

export function Rail() {
  const themeChoice = useUiStore((state) => state.themeChoice);
  const chooseTheme = useUiStore((state) => state.chooseTheme);
  const themeId = useId();
  const accounts = useAccounts();
  const inbox = useInbox();
  // A cooling account is not ready; the count changes when a cooldown ends, read on a slow clock.
  const now = useNow(true, READY_COUNT_TICK_MS);
  const ready = accounts.data ? countReady(accounts.data, now) : null;
  const items = inbox.data ?? null;
  // Amber while something waits on the owner, red once any of it is critical.
  const critical = items !== null && countCritical(items) > 0;
  const inboxCountClass = critical ? 'rail-count inbox-count critical' : 'rail-count inbox-count';
  const readyId = useId();
  const inboxId = useId();

  return (
    <nav className="rail" aria-label="Sections">
      <div className="brand" aria-hidden="true">
        Khala
      </div>
      <ul>
        <li>
          {/* Counts are hidden from the names and given as descriptions, so the names stay "Inbox" and "Accounts". */}
          <RailItem section="inbox" label="Inbox" describedBy={items === null ? undefined : inboxId}>
            {items !== null && items.length > 0 && (
              <span className={inboxCountClass} aria-hidden="true">
                {items.length}
              </span>
            )}
          </RailItem>
          {items !== null && (
            <span id={inboxId} hidden>
              {inboxCountText(items)}
            </span>
          )}
        </li>
        <li>
          <RailItem section="board" label="Board" />
        </li>
        <li>
          <RailItem section="runs" label="Runs" />
        </li>
        <li>
          <RailItem section="fleets" label="Fleets" />
        </li>
        <li>
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
      <div className="theme-choice">
        <label htmlFor={themeId}>Theme</label>
        <select id={themeId} value={themeChoice} onChange={(event) => chooseTheme(event.target.value as ThemeChoice)}>
          {themeChoices.map((choice) => (
            <option key={choice} value={choice}>
              {themeChoiceLabels[choice]}
            </option>
          ))}
        </select>
      </div>
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
