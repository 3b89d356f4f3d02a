import { useState, type FormEvent } from 'react';
import { BusyButton } from '../app/BusyButton';
import { ErrorNote } from '../app/ErrorNote';
import { Field } from '../app/Field';
import { ModalDialog } from '../app/ModalDialog';
import { useUiStore } from '../state/ui-store';
import { FleetPreviewView } from './FleetPreviewView';
import { usePreviewFleet } from './use-fleet-commands';

/** Opens an existing fleet folder: checks it (creating nothing), then offers Launch when it has no problem. */
export function OpenFleetDialog() {
  const closeDialog = useUiStore((state) => state.closeDialog);
  const [root, setRoot] = useState('');
  const [problem, setProblem] = useState<string | undefined>(undefined);
  const preview = usePreviewFleet();

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const trimmed = root.trim();
    if (!trimmed.startsWith('/')) {
      setProblem('The fleet folder is an absolute path, e.g. /home/me/fleets/research.');
      return;
    }
    setProblem(undefined);
    preview.mutate(trimmed);
  };

  return (
    <ModalDialog label="Open fleet folder" onClose={closeDialog}>
      <div className="dialog-body fleet-dialog">
        <h2>Open fleet folder</h2>
        <form onSubmit={submit} noValidate className="fleet-open-form">
          <Field label="Fleet folder (absolute path)" problem={problem}>
            {(props) => (
              <input
                {...props}
                value={root}
                placeholder="/path/to/fleet"
                spellCheck={false}
                autoFocus
                onChange={(event) => setRoot(event.target.value)}
              />
            )}
          </Field>
          <BusyButton type="submit" busy={preview.isPending} busyText="Checking…">
            Check folder
          </BusyButton>
        </form>
        {preview.isError && <ErrorNote error={preview.error} />}
        {preview.data && <FleetPreviewView preview={preview.data} />}
        <div className="dialog-actions">
          <button type="button" onClick={closeDialog}>
            Close
          </button>
        </div>
      </div>
    </ModalDialog>
  );
}
