import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type { NewTaskInput } from '../../shared/contract';
import { workerKinds, type WorkerKind } from '../../shared/domain';
import { Field } from '../app/Field';
import { useModal } from '../app/use-modal';
import { useBridge } from '../bridge/context';
import { errorText } from '../bridge/errors';
import { applyCardUpdate } from '../data/cards-cache';
import { useUiStore } from '../state/ui-store';
import { initialTaskForm, parseTaskForm, type FieldProblems, type TaskField, type TaskFormValues } from './task-form';

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
            <select {...props} value={values.workerKind} onChange={(e) => set('workerKind', e.target.value as WorkerKind)}>
              {workerKinds.map((kind) => (
                <option key={kind} value={kind}>
                  {kind}
                </option>
              ))}
            </select>
          )}
        </Field>
        {values.workerKind === 'fixture' && (
          <fieldset className="fixture-options">
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
