import { afterEach, describe, expect, it } from 'vitest';
import { useFindUi } from '../find/find-ui';
import { useUiStore } from '../state/ui-store';
import { shortcutFor, shortcutKeys, shortcuts, type KeyPress } from './shortcuts';

function press(key: string, modifiers: Partial<Omit<KeyPress, 'key'>> = {}): KeyPress {
  return { key, shiftKey: false, ctrlKey: false, metaKey: false, altKey: false, ...modifiers };
}

const initialUi = useUiStore.getState();
afterEach(() => {
  useUiStore.setState(initialUi, true);
  useFindUi.getState().close();
});

describe('the shortcut table', () => {
  it('gives every shortcut a unique id, keys to show and words for the overlay', () => {
    expect(new Set(shortcuts.map((shortcut) => shortcut.id)).size).toBe(shortcuts.length);
    for (const shortcut of shortcuts) {
      expect(shortcut.keys.length, shortcut.id).toBeGreaterThan(0);
      expect(shortcut.description, shortcut.id).not.toBe('');
      // A page shortcut acts by itself; a Board one is a move the Board's card navigation makes.
      expect(shortcut.scope === 'board' ? shortcut.boardMove : shortcut.run, shortcut.id).toBeDefined();
    }
  });

  it('means one shortcut per key press', () => {
    const presses = [
      press('k', { ctrlKey: true }),
      press('k', { metaKey: true }),
      press('?', { shiftKey: true }),
      press('n'),
      press('N', { shiftKey: true }),
      ...['i', 'b', 'r', 'f', 'a'].map((key) => press(key)),
      press('Escape'),
    ];
    for (const key of presses) {
      expect(shortcuts.filter((shortcut) => shortcut.scope !== 'board' && shortcut.matches(key)), key.key).toHaveLength(1);
    }
  });

  it('runs the actions the menus run', () => {
    shortcutFor(press('N', { shiftKey: true }), 'page')!.run!();
    expect(useUiStore.getState().dialog).toBe('new-run');
    shortcutFor(press('r'), 'page')!.run!();
    expect(useUiStore.getState().section).toBe('runs');
    shortcutFor(press('k', { ctrlKey: true }), 'page')!.run!();
    expect(useFindUi.getState().palette).toBe(true);
    shortcutFor(press('?', { shiftKey: true }), 'page')!.run!();
    expect(useFindUi.getState()).toMatchObject({ palette: false, help: true });
  });

  it('Escape closes an open pane', () => {
    useUiStore.getState().openPane('a1');
    shortcutFor(press('Escape'), 'page')!.run!();
    expect(useUiStore.getState().selectedAssignmentId).toBeNull();
  });

  it('leaves browser and system chords alone: a letter with Ctrl, Alt or Cmd is no shortcut', () => {
    expect(shortcutFor(press('n', { ctrlKey: true }), 'page')).toBeUndefined();
    expect(shortcutFor(press('r', { metaKey: true }), 'page')).toBeUndefined();
    expect(shortcutFor(press('b', { altKey: true }), 'page')).toBeUndefined();
    expect(shortcutFor(press('k'), 'page')).toBeUndefined();
    expect(shortcutFor(press('k', { ctrlKey: true, shiftKey: true }), 'page')).toBeUndefined();
  });

  it("keeps the Board's arrow keys and Enter to the Board", () => {
    expect(shortcutFor(press('ArrowLeft'), 'page')).toBeUndefined();
    expect(shortcutFor(press('Enter'), 'page')).toBeUndefined();
    expect(['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown', 'Enter'].map((key) => shortcutFor(press(key), 'board')?.boardMove)).toEqual([
      'left',
      'right',
      'up',
      'down',
      'open',
    ]);
    expect(shortcutFor(press('ArrowDown', { shiftKey: true }), 'board')?.boardMove).toBe('down');
    expect(shortcutFor(press('ArrowDown', { ctrlKey: true }), 'board')).toBeUndefined();
  });

  it('gives the palette the same keys the overlay lists', () => {
    expect(shortcutKeys('new-task')).toEqual(['N']);
    expect(shortcutKeys('new-run')).toEqual(['Shift', 'N']);
    expect(shortcutKeys('nothing-by-this-id')).toBeUndefined();
  });
});
