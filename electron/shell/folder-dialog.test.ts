import type { BrowserWindow, OpenDialogOptions, OpenDialogReturnValue } from 'electron';
import { describe, expect, it } from 'vitest';
import { folderChooser, type OpenDialog } from './folder-dialog';

/** Electron's dialog as the shell calls it, answering as the owner would; the calls are kept. */
function fakeDialog(answer: OpenDialogReturnValue) {
  const calls: { parent: unknown; options: OpenDialogOptions }[] = [];
  const dialog = {
    showOpenDialog: (...args: unknown[]) => {
      const [parent, options] = args.length === 2 ? args : [undefined, args[0]];
      calls.push({ parent, options: options as OpenDialogOptions });
      return Promise.resolve(answer);
    },
  } as OpenDialog;
  return { dialog, calls };
}

const window = { isDestroyed: () => false } as BrowserWindow;

describe('the desktop folder dialog', () => {
  it('asks for one folder, starting where the owner last worked, attached to the board window', async () => {
    const { dialog, calls } = fakeDialog({ canceled: false, filePaths: ['/home/owner/app'] });
    expect(await folderChooser(dialog, () => window)('/home/owner/last')).toBe('/home/owner/app');
    expect(calls).toEqual([
      { parent: window, options: expect.objectContaining({ defaultPath: '/home/owner/last', properties: expect.arrayContaining(['openDirectory']) }) },
    ]);
    expect(calls[0]!.options.properties).not.toContain('multiSelections');
  });

  it('chooses nothing on a cancel, and opens on its own with no window', async () => {
    const { dialog, calls } = fakeDialog({ canceled: true, filePaths: [] });
    expect(await folderChooser(dialog, () => undefined)('/home/owner')).toBeNull();
    expect(calls[0]!.parent).toBeUndefined();
  });
});
