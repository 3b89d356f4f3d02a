import { CommandPalette } from './CommandPalette';
import { ShortcutHelp } from './ShortcutHelp';

/** The command palette (Ctrl/Cmd+K) and the shortcut list (`?`), each shown only while open. */
export function FindOverlays() {
  return (
    <>
      <CommandPalette />
      <ShortcutHelp />
    </>
  );
}
