import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type { Account, Provider } from '../../shared/accounts';
import type { NewTaskInput } from '../../shared/contract';
import { reasoningEfforts, workerKinds, workerTypes, type WorkerKind, type WorkerType } from '../../shared/domain';
import { readinessWords } from '../accounts/account-text';
import { ErrorNote } from '../app/ErrorNote';
import { Field } from '../app/Field';
import { useModal } from '../app/use-modal';
import { useBridge } from '../bridge/context';
import { errorText } from '../bridge/errors';
import { applyCardUpdate } from '../data/cards-cache';
import { useAccounts } from '../data/queries';
import { useUiStore } from '../state/ui-store';
import {
  initialTaskForm,
  MAX_BUDGET_USD,
  MAX_TURNS_RANGE,
  parseTaskForm,
  type FieldProblems,
  type TaskField,
  type TaskFormValues,
} from './task-form';

/** The budget input steps in cents. */
const BUDGET_STEP_USD = 0.01;

/** "claude-2 (ready)", "codex (not logged in, paused)". */
function accountOptionText(account: Account): string {
  const paused = account.paused ? ', paused' : '';
  return `${account.ref} (${readinessWords[account.readiness]}${paused})`;
}

export function NewTaskDialog() {
  const bridge = useBridge();
  const queryClient = useQueryClient();
  const closeDialog = useUiStore((state) => state.closeDialog);
  const openPane = useUiStore((state) => state.openPane);
  const dialogRef = useModal();
  const [values, setValues] = useState<TaskFormValues>(initialTaskForm);
  const [problems, setProblems] = useState<FieldProblems>({});

  const createTask = useMutation({
    mutationFn: (input: NewTaskInput) => bridge.invoke('tasks.create', input),
    onSuccess: (card) => {
      applyCardUpdate(queryClient, card);
      closeDialog();
      openPane(card.assignmentId);
    },
  });

  const set = <F extends TaskField>(field: F, value: TaskFormValues[F]) => {
    setValues((current) => ({ ...current, [field]: value }));
  };

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const parsed = parseTaskForm(values);
    if (!parsed.ok) {
      setProblems(parsed.problems);
      return;
    }
    setProblems({});
    createTask.mutate(parsed.input);
  };

  return (
    <dialog
      ref={dialogRef}
      className="dialog"
      aria-label="New task"
      onCancel={(event) => {
        // Escape closes through the store, so React stays the one owner of whether the dialog exists.
        event.preventDefault();
        closeDialog();
      }}
    >
      <form onSubmit={submit} noValidate>
        <h2>New task</h2>
        <Field label="Title" problem={problems.title}>
          {(props) => (
            <input {...props} autoFocus value={values.title} onChange={(e) => set('title', e.target.value)} />
          )}
        </Field>
        <Field label="Repository path" problem={problems.repoPath}>
          {(props) => (
            <input
              {...props}
              value={values.repoPath}
              placeholder="/path/to/a/git/repository"
              spellCheck={false}
              onChange={(e) => set('repoPath', e.target.value)}
            />
          )}
        </Field>
        <Field label="Prompt" problem={problems.prompt}>
          {(props) => (
            <textarea {...props} rows={4} value={values.prompt} onChange={(e) => set('prompt', e.target.value)} />
          )}
        </Field>
        <Field label="Verify command" problem={problems.verifyCommand}>
          {(props) => (
            <input
              {...props}
              value={values.verifyCommand}
              placeholder="npm test"
              spellCheck={false}
              onChange={(e) => set('verifyCommand', e.target.value)}
            />
          )}
        </Field>
        <Field label="Worker kind" problem={problems.workerKind}>
          {(props) => (
            <select
              {...props}
              value={values.workerKind}
              onChange={(e) => {
                // An account belongs to one provider: a new kind starts from "any ready account".
                set('workerKind', e.target.value as WorkerKind);
                set('accountRef', '');
              }}
            >
              {workerKinds.map((kind) => (
                <option key={kind} value={kind}>
                  {kind}
                </option>
              ))}
            </select>
          )}
        </Field>
        {values.workerKind === 'fixture' ? (
          <fieldset className="worker-options">
            <legend>Fixture options (no spend)</legend>
            <Field label="Duration (ms)" problem={problems.durationMs}>
              {(props) => (
                <input
                  {...props}
                  type="number"
                  min={0}
                  step={1}
                  value={values.durationMs}
                  onChange={(e) => set('durationMs', e.target.value)}
                />
              )}
            </Field>
            <label className="check">
              <input type="checkbox" checked={values.fail} onChange={(e) => set('fail', e.target.checked)} />
              Make the worker fail
            </label>
            <label className="check">
              <input type="checkbox" checked={values.crash} onChange={(e) => set('crash', e.target.checked)} />
              Make the worker crash mid-run
            </label>
          </fieldset>
        ) : (
          <ProviderOptions provider={values.workerKind} values={values} problems={problems} set={set} />
        )}
        {problems.form && (
          <p role="alert" className="error">
            {problems.form}
          </p>
        )}
        {createTask.isError && (
          <p role="alert" className="error">
            {errorText(createTask.error)}
          </p>
        )}
        <div className="dialog-actions">
          <button type="button" onClick={closeDialog}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={createTask.isPending} aria-busy={createTask.isPending}>
            {createTask.isPending ? 'Starting…' : 'Start task'}
          </button>
        </div>
      </form>
    </dialog>
  );
}

type SetField = <F extends TaskField>(field: F, value: TaskFormValues[F]) => void;

/** The options of a Claude or Codex worker: where it runs, how far it may go. */
function ProviderOptions({
  provider,
  values,
  problems,
  set,
}: {
  provider: Provider;
  values: TaskFormValues;
  problems: FieldProblems;
  set: SetField;
}) {
  const accounts = useAccounts();
  const ofProvider = (accounts.data ?? []).filter((account) => account.provider === provider);

  return (
    <fieldset className="worker-options">
      <legend>{provider} options</legend>
      <Field label="Account" problem={problems.accountRef}>
        {(props) => (
          <select {...props} value={values.accountRef} onChange={(e) => set('accountRef', e.target.value)}>
            <option value="">Any ready account</option>
            {ofProvider.map((account) => (
              <option key={account.ref} value={account.ref}>
                {accountOptionText(account)}
              </option>
            ))}
          </select>
        )}
      </Field>
      {accounts.isError && <ErrorNote error={accounts.error} />}
      {accounts.isSuccess && ofProvider.length === 0 && (
        <p className="muted">No {provider} account is connected yet: connect one in Accounts.</p>
      )}
      <Field label="Worker type" problem={problems.workerType}>
        {(props) => (
          <select {...props} value={values.workerType} onChange={(e) => set('workerType', e.target.value as WorkerType)}>
            {workerTypes.map((type) => (
              <option key={type} value={type}>
                {type}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label="Model" problem={problems.model}>
        {(props) => (
          <input
            {...props}
            value={values.model}
            placeholder="the CLI's default"
            spellCheck={false}
            onChange={(e) => set('model', e.target.value)}
          />
        )}
      </Field>
      <Field label="Max turns" problem={problems.maxTurns}>
        {(props) => (
          <input
            {...props}
            type="number"
            min={MAX_TURNS_RANGE.min ?? undefined}
            max={MAX_TURNS_RANGE.max ?? undefined}
            step={1}
            value={values.maxTurns}
            placeholder="no limit"
            onChange={(e) => set('maxTurns', e.target.value)}
          />
        )}
      </Field>
      {provider === 'claude' && (
        <Field label="Budget (USD)" problem={problems.maxBudgetUsd}>
          {(props) => (
            <input
              {...props}
              type="number"
              min={BUDGET_STEP_USD}
              max={MAX_BUDGET_USD ?? undefined}
              step={BUDGET_STEP_USD}
              value={values.maxBudgetUsd}
              placeholder="no limit"
              onChange={(e) => set('maxBudgetUsd', e.target.value)}
            />
          )}
        </Field>
      )}
      {provider === 'codex' && (
        <Field label="Reasoning effort" problem={problems.reasoningEffort}>
          {(props) => (
            <select {...props} value={values.reasoningEffort} onChange={(e) => set('reasoningEffort', e.target.value)}>
              <option value="">The CLI's default</option>
              {reasoningEfforts.map((effort) => (
                <option key={effort} value={effort}>
                  {effort}
                </option>
              ))}
            </select>
          )}
        </Field>
      )}
    </fieldset>
  );
}
