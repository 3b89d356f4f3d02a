import { ModalDialog } from '../app/ModalDialog';
import { shortcuts } from '../app/shortcuts';
import { useFindUi } from './find-ui';

/** `?`: every shortcut, read from the same table the key handlers use. */
export function ShortcutHelp() {
  const open = useFindUi((state) => state.help);
  const close = useFindUi((state) => state.close);
  if (!open) return null;
  return (
    <ModalDialog label="Keyboard shortcuts" onClose={close}>
      <div className="dialog-body">
        <h2>Keyboard shortcuts</h2>
        <p className="muted">Letters act when no text field has focus; inside a shell every key goes to the shell.</p>
        <table className="shortcut-table">
          <tbody>
            {shortcuts.map((shortcut) => (
              <tr key={shortcut.id}>
                <td>
                  <span className="shortcut-keys">
                    {shortcut.keys.map((key) => (
                      <kbd key={key}>{key}</kbd>
                    ))}
                  </span>
                </td>
                <td>{shortcut.description}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <div className="dialog-actions">
          <button type="button" className="primary" onClick={close}>
            Close
          </button>
        </div>
      </div>
    </ModalDialog>
  );
}
