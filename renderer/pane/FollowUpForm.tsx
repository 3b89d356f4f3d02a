import { useId, useState, type FormEvent } from 'react';
import { commands } from '../../shared/contract';
import type { Card } from '../../shared/domain';
import { BusyButton } from '../app/BusyButton';
import { ErrorNote } from '../app/ErrorNote';
import { Field } from '../app/Field';
import { parseFormInput } from '../app/form-problems';
import { followUpBlocker } from '../board/card-controls';
import { useFollowUp } from './use-pane-commands';

const promptSchema = commands['assignments.followUp'].input.shape.prompt;

/** Another prompt for a finished Claude or Codex worker, resumed in its own session and pane. */
export function FollowUpForm({ card, onSent }: { card: Card; onSent: () => void }) {
  const reasonId = useId();
  const [prompt, setPrompt] = useState('');
  const [problem, setProblem] = useState<string | undefined>(undefined);
  const blocker = followUpBlocker(card);
  const { assignmentId } = card;

  const followUp = useFollowUp(assignmentId);

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const parsed = parseFormInput(promptSchema, prompt, () => 'prompt' as const, {});
    if (!parsed.ok) {
      setProblem(parsed.problems.prompt);
      return;
    }
    setProblem(undefined);
    followUp.mutate(parsed.input, {
      onSuccess: () => {
        setPrompt('');
        onSent();
      },
    });
  };

  return (
    <section aria-label="Follow-up">
      <h3>Follow-up</h3>
      <form className="follow-up" onSubmit={submit} noValidate>
        <Field label="Follow-up prompt" problem={problem}>
          {(props) => (
            <textarea
              {...props}
              rows={2}
              value={prompt}
              disabled={blocker !== null}
              onChange={(event) => setPrompt(event.target.value)}
            />
          )}
        </Field>
        {blocker !== null && (
          <p id={reasonId} className="muted">
            {blocker}
          </p>
        )}
        <div className="detail-actions">
          <BusyButton
            type="submit"
            disabled={blocker !== null}
            busy={followUp.isPending}
            busyText="Sending…"
            aria-describedby={blocker === null ? undefined : reasonId}
          >
            Send follow-up
          </BusyButton>
        </div>
        {followUp.isError && <ErrorNote error={followUp.error} />}
      </form>
    </section>
  );
}
