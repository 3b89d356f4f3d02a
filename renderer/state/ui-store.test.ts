import { beforeAll, describe, expect, it } from 'vitest';

/** localStorage as a browser has it (Vitest runs under plain Node, which has none). */
class MemoryStorage {
  readonly items = new Map<string, string>();
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.items.set(key, value);
  }
  removeItem(key: string): void {
    this.items.delete(key);
  }
}

const storage = new MemoryStorage();
let store: typeof import('./ui-store');

beforeAll(async () => {
  Object.assign(globalThis, { localStorage: storage });
  store = await import('./ui-store');
});

function remembered(): Record<string, unknown> {
  const text = storage.getItem(store.UI_STORAGE_KEY);
  if (text === null) throw new Error('nothing was stored');
  return (JSON.parse(text) as { state: Record<string, unknown> }).state;
}

describe('the UI store remembers the layout', () => {
  it('stores the panes, their shares, the section, the run and the theme, and nothing of dialogs or the OS', () => {
    const ui = store.useUiStore.getState();
    ui.openPane('a');
    ui.openPaneBeside('b');
    ui.toggleMaximised();
    ui.setBoardShare(55);
    ui.setSplitShare(40);
    ui.showRun('run-1');
    ui.chooseTheme('light');
    ui.openDialog('new-task');
    expect(remembered()).toEqual({
      section: 'board',
      selectedRunId: 'run-1',
      openPanes: ['a', 'b'],
      selectedAssignmentId: 'b',
      // Going to a section (showRun) shows it: the maximised panes stepped back.
      maximised: false,
      boardShare: 55,
      splitShare: 40,
      themeChoice: 'light',
    });
  });

  it('closes the focused pane when none is named, as the Escape shortcut does', () => {
    store.useUiStore.getState().closePane();
    expect(store.useUiStore.getState().openPanes).toEqual(['a']);
    expect(store.useUiStore.getState().selectedAssignmentId).toBe('a');
  });

  it('reads back what it stored', async () => {
    storage.setItem(
      store.UI_STORAGE_KEY,
      JSON.stringify({
        version: 1,
        state: { section: 'runs', selectedRunId: 'r', openPanes: ['x', 'y'], selectedAssignmentId: 'x', maximised: true, boardShare: 60, splitShare: 30, themeChoice: 'dark' },
      }),
    );
    await store.useUiStore.persist.rehydrate();
    const state = store.useUiStore.getState();
    expect(state).toMatchObject({ section: 'runs', selectedRunId: 'r', openPanes: ['x', 'y'], selectedAssignmentId: 'x', maximised: true, boardShare: 60, splitShare: 30 });
    expect(state.theme).toBe('dark');
  });

  it('takes only what is well formed from storage the owner may have edited', () => {
    const current = store.useUiStore.getState();
    const merged = store.mergeRemembered(
      { section: 'nowhere', selectedRunId: 7, openPanes: ['a', 'a', 3, 'b', 'c'], selectedAssignmentId: 'c', maximised: 'yes', boardShare: 500, themeChoice: 'sepia' },
      { ...current, section: 'board', themeChoice: 'system', systemTheme: 'light', boardShare: 66 },
    );
    expect(merged).toMatchObject({
      section: 'board',
      selectedRunId: null,
      openPanes: ['a', 'b'],
      selectedAssignmentId: 'b',
      maximised: false,
      boardShare: 75,
      themeChoice: 'system',
      theme: 'light',
    });
    expect(store.mergeRemembered(null, current).openPanes).toEqual([]);
  });
});

describe('the theme', () => {
  it('follows the OS while the choice is "system", and not once a palette is picked', () => {
    const ui = store.useUiStore.getState();
    ui.chooseTheme('system');
    ui.followSystemTheme('light');
    expect(store.useUiStore.getState().theme).toBe('light');
    ui.followSystemTheme('dark');
    expect(store.useUiStore.getState().theme).toBe('dark');
    ui.chooseTheme('light');
    ui.followSystemTheme('dark');
    expect(store.useUiStore.getState().theme).toBe('light');
  });

  it('toggles to the palette not showing, as a pick', () => {
    const ui = store.useUiStore.getState();
    ui.chooseTheme('system');
    ui.followSystemTheme('dark');
    ui.toggleTheme();
    expect(store.useUiStore.getState()).toMatchObject({ themeChoice: 'light', theme: 'light' });
  });
});
