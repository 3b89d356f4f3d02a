import { useEffect } from 'react';
import { useFindUi } from '../find/find-ui';
import { useUiStore, type Section } from '../state/ui-store';

/** Inside an interactive terminal every key, Escape included, belongs to the program running there. */
export function isInTerminal(target: EventTarget | null): boolean {
  return target instanceof Element && target.closest('[data-captures-keys]') !== null;
}

export function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

export type KeyPress = Pick<KeyboardEvent, 'key' | 'shiftKey' | 'ctrlKey' | 'metaKey' | 'altKey'>;

/** Where the Board's focus goes: to a neighbouring card, or into the focused card's pane. */
export type BoardMove = 'left' | 'right' | 'up' | 'down' | 'open';

/**
 * One keyboard shortcut: the keys as the help overlay shows them, what it does, and either the action it runs
 * from anywhere on the page or the Board move its card navigation makes. `id` ties it to the command palette's
 * action of the same name, which shows the same keys.
 */
export interface Shortcut {
  id: string;
  keys: readonly string[];
  description: string;
  matches(key: KeyPress): boolean;
  /** 'anywhere': also from a text field (never from a terminal); 'not-typing': only while no text field has focus. */
  scope: 'anywhere' | 'not-typing' | 'board';
  run?: () => void;
  boardMove?: BoardMove;
  /** Escape still reaches the focused control (a search box clears itself), after closing the pane. */
  keepsDefault?: true;
}

function noModifier(key: KeyPress): boolean {
  return !key.ctrlKey && !key.metaKey && !key.altKey;
}

/** A letter, with or without Shift. */
function letter(char: string, shift = false) {
  return (key: KeyPress) => noModifier(key) && key.shiftKey === shift && key.key.toLowerCase() === char;
}

/** A key by its name or symbol (Shift is part of typing `?` on most layouts, so it is not looked at). */
function named(name: string) {
  return (key: KeyPress) => noModifier(key) && key.key === name;
}

/** Ctrl+key, or Cmd+key on a Mac. */
function command(char: string) {
  return (key: KeyPress) => (key.ctrlKey || key.metaKey) && !key.altKey && !key.shiftKey && key.key.toLowerCase() === char;
}

const ui = () => useUiStore.getState();

function section(id: string, char: string, name: string, target: Section): Shortcut {
  return {
    id,
    keys: [char.toUpperCase()],
    description: `Show ${name}`,
    matches: letter(char),
    scope: 'not-typing',
    run: () => ui().showSection(target),
  };
}

/** Every shortcut of the app: the key handlers and the `?` overlay both read this table, so the list cannot drift. */
export const shortcuts: readonly Shortcut[] = [
  {
    id: 'palette',
    keys: ['Ctrl/⌘', 'K'],
    description: 'Open the command palette',
    matches: command('k'),
    scope: 'anywhere',
    run: () => useFindUi.getState().openPalette(),
  },
  {
    id: 'help',
    keys: ['?'],
    description: 'Show keyboard shortcuts',
    matches: named('?'),
    scope: 'not-typing',
    run: () => useFindUi.getState().openHelp(),
  },
  {
    id: 'new-task',
    keys: ['N'],
    description: 'New task',
    matches: letter('n'),
    scope: 'not-typing',
    run: () => ui().openDialog('new-task'),
  },
  {
    id: 'new-run',
    keys: ['Shift', 'N'],
    description: 'New run',
    matches: letter('n', true),
    scope: 'not-typing',
    run: () => ui().openDialog('new-run'),
  },
  section('show-inbox', 'i', 'the Inbox', 'inbox'),
  section('show-board', 'b', 'the Board', 'board'),
  section('show-runs', 'r', 'Runs', 'runs'),
  section('show-fleets', 'f', 'Fleets', 'fleets'),
  section('show-accounts', 'a', 'Accounts', 'accounts'),
  {
    id: 'close-pane',
    keys: ['Esc'],
    description: 'Close the pane',
    matches: named('Escape'),
    scope: 'anywhere',
    run: () => {
      if (ui().selectedAssignmentId !== null) ui().closePane();
    },
    keepsDefault: true,
  },
  { id: 'card-left', keys: ['←'], description: 'Board: focus the card in the column to the left', matches: named('ArrowLeft'), scope: 'board', boardMove: 'left' },
  { id: 'card-right', keys: ['→'], description: 'Board: focus the card in the column to the right', matches: named('ArrowRight'), scope: 'board', boardMove: 'right' },
  { id: 'card-up', keys: ['↑'], description: 'Board: focus the card above', matches: named('ArrowUp'), scope: 'board', boardMove: 'up' },
  { id: 'card-down', keys: ['↓'], description: 'Board: focus the card below', matches: named('ArrowDown'), scope: 'board', boardMove: 'down' },
  { id: 'card-open', keys: ['Enter'], description: "Board: open the focused card's pane", matches: named('Enter'), scope: 'board', boardMove: 'open' },
];

/** The shortcut a key press means, if any (whether it may act where it was pressed is the caller's to check). */
export function shortcutFor(key: KeyPress, scope: 'page' | 'board'): Shortcut | undefined {
  return shortcuts.find((shortcut) => (shortcut.scope === 'board') === (scope === 'board') && shortcut.matches(key));
}

/** The keys of a shortcut by its id, as the palette shows them next to the action. */
export function shortcutKeys(id: string): readonly string[] | undefined {
  return shortcuts.find((shortcut) => shortcut.id === id)?.keys;
}

/** The page-wide shortcuts of the table; the Board's card navigation is useBoardKeys. */
export function useGlobalShortcuts(): void {
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      // An open modal <dialog> (a form, the palette, the shortcut list) receives Escape as its cancel event and
      // decides what closing it means (the Connect dialog keeps a running login followed rather than dropping it).
      const finding = useFindUi.getState();
      if (ui().dialog || finding.palette || finding.help || isInTerminal(event.target)) return;
      const shortcut = shortcutFor(event, 'page');
      if (!shortcut?.run) return;
      if (shortcut.scope === 'not-typing' && isTyping(event.target)) return;
      shortcut.run();
      if (!shortcut.keepsDefault) event.preventDefault();
    };
    // Capture phase: xterm stops propagation of the keys it handles, and Escape must still close its pane.
    window.addEventListener('keydown', onKeyDown, true);
    return () => window.removeEventListener('keydown', onKeyDown, true);
  }, []);
}
