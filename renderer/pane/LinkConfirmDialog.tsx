import { useId } from 'react';
import { ModalDialog } from '../app/ModalDialog';

/**
 * Asks before a link in a terminal opens: a worker or a program in a shell chose its text, so the
 * owner sees the whole URL it really goes to and opens it only on purpose.
 */
export function LinkConfirmDialog({ url, onClose }: { url: string; onClose: () => void }) {
  const descriptionId = useId();
  const open = () => {
    // The Electron shell hands window.open to the OS browser; a browser tab opens a new tab.
    window.open(url, '_blank', 'noopener,noreferrer');
    onClose();
  };
  return (
    <ModalDialog label="Open link from the terminal?" role="alertdialog" describedBy={descriptionId} onClose={onClose}>
      <div className="dialog-body">
        <h2>Open link from the terminal?</h2>
        <p id={descriptionId}>
          Output in this pane asks to open <code className="link-url">{url}</code>. Its text may say something else: open it
          only if you expected this address.
        </p>
        <div className="dialog-actions">
          {/* Focus starts on the harmless choice, so a stray Enter opens nothing. */}
          <button type="button" autoFocus onClick={onClose}>
            Cancel
          </button>
          <button type="button" className="danger" onClick={open}>
            Open link
          </button>
        </div>
      </div>
    </ModalDialog>
  );
}
