import type { BrowserWindow, Dialog, OpenDialogOptions } from 'electron';
import type { FolderChooser } from '../core/repos/repo-service';

/** What the folder dialog needs of Electron's `dialog`. */
export type OpenDialog = Pick<Dialog, 'showOpenDialog'>;

/** The dialog's options: one folder, starting where the owner last worked. */
export function folderDialogOptions(startIn: string): OpenDialogOptions {
  return { title: 'Choose a repository', defaultPath: startIn, buttonLabel: 'Choose', properties: ['openDirectory', 'dontAddToRecent'] };
}

/**
 * The core's folder chooser for the desktop app: Electron's folder dialog, attached to the board's
 * window when it is open. A cancel chooses nothing.
 */
export function folderChooser(dialog: OpenDialog, window: () => BrowserWindow | undefined): FolderChooser {
  return async (startIn) => {
    const options = folderDialogOptions(startIn);
    const parent = window();
    const { canceled, filePaths } = await (parent && !parent.isDestroyed() ? dialog.showOpenDialog(parent, options) : dialog.showOpenDialog(options));
    return canceled ? null : (filePaths[0] ?? null);
  };
}
