import { useUiStore } from '../state/ui-store';

export function Rail() {
  const theme = useUiStore((state) => state.theme);
  const toggleTheme = useUiStore((state) => state.toggleTheme);

  return (
    <nav className="rail" aria-label="Sections">
      <div className="brand" aria-hidden="true">
        Khala
      </div>
      <ul>
        <li>
          {/* Board is the only section so far: it is always the current one, so there is nothing to click. */}
          <span className="rail-item" aria-current="page">
            Board
          </span>
        </li>
      </ul>
      <button type="button" className="rail-item theme-toggle" aria-pressed={theme === 'light'} onClick={toggleTheme}>
        Light theme
      </button>
    </nav>
  );
}
