import { useState, type FormEvent } from 'react';
import { commands } from '../../shared/contract';
import type { Card } from '../../shared/domain';
import { Field } from '../app/Field';
import { parseFormInput } from '../app/form-problems';
import { FormActions } from '../app/FormDialog';
import { ModalDialog } from '../app/ModalDialog';
import { useAssignment } from '../data/queries';
import { useUiStore } from '../state/ui-store';
import { useRetryWorker } from './use-card-commands';

const promptSchema = commands['assignments.retry'].input.shape.prompt.unwrap();

/** Retry with the prompt in hand: the old one, ready to edit, goes to a new assignment of the same unit. */
export function RetryDialog({ card, onClose }: { card: Card; onClose: () => void }) {
  const openPane = useUiStore((state) => state.openPane);
  const detail = useAssignment(card.assignmentId);
  const [edited, setEdited] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | undefined>(undefined);
  const prompt = edited ?? detail.data?.prompt ?? '';
  const title = `Retry ${card.workUnit.title}`;

  const retry = useRetryWorker(card.assignmentId);

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const parsed = parseFormInput(promptSchema, prompt, () => 'prompt' as const, {});
    if (!parsed.ok) {
      setProblem(parsed.problems.prompt);
      return;
    }
    setProblem(undefined);
    retry.mutate(parsed.input, {
      onSuccess: (retried) => {
        onClose();
        openPane(retried.assignmentId);
      },
    });
  };

  return (
    <ModalDialog label={title} onClose={onClose}>
      <form onSubmit={submit} noValidate>
        <h2>{title}</h2>
        <Field label="Prompt" problem={problem}>
          {(props) => (
            <textarea
              {...props}
              rows={8}
              value={prompt}
              disabled={!detail.data}
              onChange={(event) => {
                setEdited(event.target.value);
                if (problem) setProblem(undefined);
              }}
            />
          )}
        </Field>
        <FormActions problem={undefined} action={retry} submitText="Retry" busyText="Retrying…" disabled={!detail.data} onCancel={onClose} />
      </form>
    </ModalDialog>
  );
}
