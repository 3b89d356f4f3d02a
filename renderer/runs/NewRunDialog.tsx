import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { workerTypes, type WorkerType } from '../../shared/domain';
import { runWorkerKindSchema, type NewRunInput, type RunWorkerKind } from '../../shared/runs';
import { Field } from '../app/Field';
import { useModal } from '../app/use-modal';
import { useBridge } from '../bridge/context';
import { errorText } from '../bridge/errors';
import { applyRunUpdate } from '../data/runs-cache';
import { useUiStore } from '../state/ui-store';
import {
  FIXTURE_DURATION_RANGE,
  initialRunForm,
  MAX_PER_ACCOUNT_RANGE,
  parseRunForm,
  sourceKindLabels,
  stopConditionLabels,
  TARGET_CONCURRENCY_RANGE,
  TARGET_COUNT_MIN,
  UNITS_RANGE,
  type RunField,
  type RunFormProblems,
  type RunFormValues,
  type SourceKind,
  type StopCondition,
} from './run-form';

const sourceKinds = Object.keys(sourceKindLabels) as SourceKind[];
const stopConditions = Object.keys(stopConditionLabels) as StopCondition[];

type SetField = <F extends RunField>(field: F, value: RunFormValues[F]) => void;

/** A sustained run: created as a draft that waits for the owner's approval before it claims anything. */
export function NewRunDialog() {
  const bridge = useBridge();
  const queryClient = useQueryClient();
  const closeDialog = useUiStore((state) => state.closeDialog);
  const showRun = useUiStore((state) => state.showRun);
  const dialogRef = useModal();
  const [values, setValues] = useState<RunFormValues>(initialRunForm);
  const [problems, setProblems] = useState<RunFormProblems>({});

  const createRun = useMutation({
    mutationFn: (input: NewRunInput) => bridge.invoke('runs.create', input),
    onSuccess: (run) => {
      applyRunUpdate(queryClient, run);
      closeDialog();
      // The Board's run header says it waits for approval, here or in the Inbox.
      showRun(run.id);
    },
  });

  const set: SetField = (field, value) => {
    setValues((current) => ({ ...current, [field]: value }));
  };

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const parsed = parseRunForm(values);
    if (!parsed.ok) {
      setProblems(parsed.problems);
      return;
    }
    setProblems({});
    createRun.mutate(parsed.input);
  };

  return (
    <dialog
      ref={dialogRef}
      className="dialog"
      aria-label="New run"
      onCancel={(event) => {
        // Escape closes through the store, so React stays the one owner of whether the dialog exists.
        event.preventDefault();
        closeDialog();
      }}
    >
      <form onSubmit={submit} noValidate>
        <h2>New run</h2>
        <Field label="Name" problem={problems.name}>
          {(props) => <input {...props} autoFocus value={values.name} onChange={(e) => set('name', e.target.value)} />}
        </Field>
        <Field label="Source">
          {(props) => (
            <select {...props} value={values.sourceKind} onChange={(e) => set('sourceKind', e.target.value as SourceKind)}>
              {sourceKinds.map((kind) => (
                <option key={kind} value={kind}>
                  {sourceKindLabels[kind]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <SourceFields values={values} problems={problems} set={set} />
        <Field label="Local repository path" problem={problems.repoPath}>
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
        <Field label="Branch" problem={problems.branch}>
          {(props) => (
            <input {...props} value={values.branch} spellCheck={false} onChange={(e) => set('branch', e.target.value)} />
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
        <WorkerFields values={values} problems={problems} set={set} />
        <StopFields values={values} problems={problems} set={set} />
        {problems.form && (
          <p role="alert" className="error">
            {problems.form}
          </p>
        )}
        {createRun.isError && (
          <p role="alert" className="error">
            {errorText(createRun.error)}
          </p>
        )}
        <div className="dialog-actions">
          <button type="button" onClick={closeDialog}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={createRun.isPending} aria-busy={createRun.isPending}>
            {createRun.isPending ? 'Creating…' : 'Create run'}
          </button>
        </div>
      </form>
    </dialog>
  );
}

interface FieldsProps {
  values: RunFormValues;
  problems: RunFormProblems;
  set: SetField;
}

/** Where the work units come from: each kind of source has inputs of its own. */
function SourceFields({ values, problems, set }: FieldsProps) {
  switch (values.sourceKind) {
    case 'github':
      return (
        <fieldset className="worker-options">
          <legend>GitHub issues</legend>
          <Field label="Repository (owner/name)" problem={problems.repository}>
            {(props) => (
              <input
                {...props}
                value={values.repository}
                placeholder="acme/app"
                spellCheck={false}
                onChange={(e) => set('repository', e.target.value)}
              />
            )}
          </Field>
          <Field label="API base URL (empty for github.com)" problem={problems.apiBaseUrl}>
            {(props) => (
              <input
                {...props}
                type="url"
                value={values.apiBaseUrl}
                placeholder="https://github.example.com/api/v3"
                spellCheck={false}
                onChange={(e) => set('apiBaseUrl', e.target.value)}
              />
            )}
          </Field>
          <Field label="Exclude labels (comma-separated)" problem={problems.excludeLabels}>
            {(props) => (
              <input
                {...props}
                value={values.excludeLabels}
                placeholder="wontfix, needs-owner"
                spellCheck={false}
                onChange={(e) => set('excludeLabels', e.target.value)}
              />
            )}
          </Field>
        </fieldset>
      );
    case 'task_list':
      return (
        <Field label="Task list file" problem={problems.taskListPath}>
          {(props) => (
            <input
              {...props}
              value={values.taskListPath}
              placeholder="/path/to/tasks.md"
              spellCheck={false}
              onChange={(e) => set('taskListPath', e.target.value)}
            />
          )}
        </Field>
      );
    case 'fixture':
      return (
        <Field label="Units" problem={problems.units}>
          {(props) => (
            <input
              {...props}
              type="number"
              min={UNITS_RANGE.min ?? undefined}
              max={UNITS_RANGE.max ?? undefined}
              step={1}
              value={values.units}
              onChange={(e) => set('units', e.target.value)}
            />
          )}
        </Field>
      );
  }
}

/** Who does the work, and how many at once. */
function WorkerFields({ values, problems, set }: FieldsProps) {
  return (
    <fieldset className="worker-options">
      <legend>Workers</legend>
      <Field label="Worker kind" problem={problems.workerKind}>
        {(props) => (
          <select {...props} value={values.workerKind} onChange={(e) => set('workerKind', e.target.value as RunWorkerKind)}>
            {runWorkerKindSchema.options.map((kind) => (
              <option key={kind} value={kind}>
                {kind}
              </option>
            ))}
          </select>
        )}
      </Field>
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
      <Field label="Target concurrency" problem={problems.targetConcurrency}>
        {(props) => (
          <input
            {...props}
            type="number"
            min={TARGET_CONCURRENCY_RANGE.min ?? undefined}
            max={TARGET_CONCURRENCY_RANGE.max ?? undefined}
            step={1}
            value={values.targetConcurrency}
            onChange={(e) => set('targetConcurrency', e.target.value)}
          />
        )}
      </Field>
      <Field label="Max per account" problem={problems.maxPerAccount}>
        {(props) => (
          <input
            {...props}
            type="number"
            min={MAX_PER_ACCOUNT_RANGE.min ?? undefined}
            max={MAX_PER_ACCOUNT_RANGE.max ?? undefined}
            step={1}
            value={values.maxPerAccount}
            onChange={(e) => set('maxPerAccount', e.target.value)}
          />
        )}
      </Field>
      {values.workerKind === 'fixture' && (
        <Field label="Fixture duration (ms)" problem={problems.fixtureDurationMs}>
          {(props) => (
            <input
              {...props}
              type="number"
              min={FIXTURE_DURATION_RANGE.min ?? undefined}
              max={FIXTURE_DURATION_RANGE.max ?? undefined}
              step={1}
              value={values.fixtureDurationMs}
              onChange={(e) => set('fixtureDurationMs', e.target.value)}
            />
          )}
        </Field>
      )}
    </fieldset>
  );
}

/** When the run completes on its own. */
function StopFields({ values, problems, set }: FieldsProps) {
  return (
    <>
      <Field label="Stop condition" problem={problems.stopCondition}>
        {(props) => (
          <select
            {...props}
            value={values.stopCondition}
            onChange={(e) => set('stopCondition', e.target.value as StopCondition)}
          >
            {stopConditions.map((condition) => (
              <option key={condition} value={condition}>
                {stopConditionLabels[condition]}
              </option>
            ))}
          </select>
        )}
      </Field>
      {values.stopCondition === 'target_count' && (
        <Field label="Target count" problem={problems.targetCount}>
          {(props) => (
            <input
              {...props}
              type="number"
              min={TARGET_COUNT_MIN ?? undefined}
              step={1}
              value={values.targetCount}
              onChange={(e) => set('targetCount', e.target.value)}
            />
          )}
        </Field>
      )}
    </>
  );
}
