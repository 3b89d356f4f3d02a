import { useState, type FormEvent } from 'react';
import { BusyButton } from '../app/BusyButton';
import { ErrorNote } from '../app/ErrorNote';
import { Field } from '../app/Field';
import { ModalDialog } from '../app/ModalDialog';
import { useFleetDetail, useFleetPrompt, useFleets } from '../data/queries';
import { useUiStore } from '../state/ui-store';
import { canRelaunch } from './fleet-text';
import { useRelaunchFleetWorker, useSavePrompt } from './use-fleet-commands';

/** Edits one worker's prompt.md on disk, then offers to relaunch it (the seed's kill, edit, relaunch). */
export function PromptEditorDialog({ fleetId, workerId }: { fleetId: string; workerId: string }) {
  const closeDialog = useUiStore((state) => state.closeDialog);
  const fleet = useFleets().data?.find((candidate) => candidate.id === fleetId);
  const label = `Prompt of ${workerId}`;
  return (
    <ModalDialog label={label} onClose={closeDialog}>
      <div className="dialog-body fleet-dialog">
        <h2>{label}</h2>
        {fleet ? <PromptEditor fleetId={fleetId} root={fleet.root} workerId={workerId} /> : <p className="muted">Loading the fleet…</p>}
      </div>
    </ModalDialog>
  );
}

function PromptEditor({ fleetId, root, workerId }: { fleetId: string; root: string; workerId: string }) {
  const prompt = useFleetPrompt(fleetId, root, workerId);
  const closeDialog = useUiStore((state) => state.closeDialog);
  if (prompt.isPending) return <p className="muted">Reading prompt.md…</p>;
  if (prompt.isError)
    return (
      <>
        <ErrorNote error={prompt.error} />
        <div className="dialog-actions">
          <button type="button" onClick={closeDialog}>
            Close
          </button>
        </div>
      </>
    );
  return <PromptForm fleetId={fleetId} root={root} workerId={workerId} path={prompt.data.path} initialText={prompt.data.text} />;
}

function PromptForm({
  fleetId,
  root,
  workerId,
  path,
  initialText,
}: {
  fleetId: string;
  root: string;
  workerId: string;
  path: string;
  initialText: string;
}) {
  const closeDialog = useUiStore((state) => state.closeDialog);
  const [text, setText] = useState(initialText);
  const save = useSavePrompt(root, workerId);
  const relaunch = useRelaunchFleetWorker(root);
  const worker = useFleetDetail(fleetId, root).data?.workers.find((candidate) => candidate.id === workerId);
  const saved = save.isSuccess && save.variables === text;

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    save.mutate(text);
  };

  return (
    <form onSubmit={submit} noValidate>
      <p className="muted">
        <code>{path}</code>
      </p>
      <Field label="prompt.md">
        {(props) => <textarea {...props} className="prompt-editor" rows={16} spellCheck={false} value={text} onChange={(event) => setText(event.target.value)} />}
      </Field>
      {save.isError && <ErrorNote error={save.error} />}
      {relaunch.isError && <ErrorNote error={relaunch.error} />}
      {saved && (
        <p role="status" className="muted">
          Saved. {worker && canRelaunch(worker.state) ? `Relaunch ${workerId} to run it with this prompt.` : `It is used the next time ${workerId} is launched.`}
        </p>
      )}
      <div className="dialog-actions">
        <button type="button" onClick={closeDialog}>
          Close
        </button>
        <BusyButton type="submit" busy={save.isPending} busyText="Saving…">
          Save prompt
        </BusyButton>
        {saved && worker && canRelaunch(worker.state) && (
          <BusyButton
            className="primary"
            busy={relaunch.isPending}
            busyText="Relaunching…"
            onClick={() => relaunch.mutate(workerId, { onSuccess: closeDialog })}
          >
            {`Relaunch ${workerId}`}
          </BusyButton>
        )}
      </div>
    </form>
  );
}
