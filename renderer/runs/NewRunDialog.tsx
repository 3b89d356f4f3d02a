import { useMutation, useQueryClient } from '@tanstack/react-query';
import { workerTypes, type WorkerType } from '../../shared/domain';
import { runWorkerKindSchema, type NewRunInput, type RunWorkerKind } from '../../shared/runs';
import { Field, TextField, wholeNumberProps } from '../app/Field';
import { FormDialog } from '../app/FormDialog';
import { useParsedForm, type FormFields } from '../app/use-parsed-form';
import { useBridge } from '../bridge/context';
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
  type RunFormProblems,
  type RunFormValues,
  type SourceKind,
  type StopCondition,
} from './run-form';

const sourceKinds = Object.keys(sourceKindLabels) as SourceKind[];
const stopConditions = Object.keys(stopConditionLabels) as StopCondition[];

/** A sustained run: created as a draft that waits for the owner's approval before it claims anything. */
export function NewRunDialog() {
  const bridge = useBridge();
  const queryClient = useQueryClient();
  const closeDialog = useUiStore((state) => state.closeDialog);
  const showRun = useUiStore((state) => state.showRun);

  const createRun = useMutation({
    mutationFn: (input: NewRunInput) => bridge.invoke('runs.create', input),
    onSuccess: (run) => {
      applyRunUpdate(queryClient, run);
      closeDialog();
      // The Board's run header says it waits for approval, here or in the Inbox.
      showRun(run.id);
    },
  });
  const form = useParsedForm(initialRunForm, parseRunForm, createRun.mutate);
  const { values, set } = form;

  return (
    <FormDialog
      label="New run"
      onSubmit={form.submit}
      problem={form.problems.form}
      action={createRun}
      submitText="Create run"
      busyText="Creating…"
    >
      <TextField form={form} field="name" label="Name" autoFocus />
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
      <SourceFields form={form} />
      <TextField
        form={form}
        field="repoPath"
        label="Local repository path"
        placeholder="/path/to/a/git/repository"
        spellCheck={false}
      />
      <TextField
        form={form}
        field="branch"
        label="Branch"
        placeholder="the repository's current branch"
        spellCheck={false}
      />
      <TextField form={form} field="verifyCommand" label="Verify command" placeholder="npm test" spellCheck={false} />
      <WorkerFields form={form} />
      <StopFields form={form} />
    </FormDialog>
  );
}

interface FieldsProps {
  form: FormFields<RunFormValues, RunFormProblems>;
}

/** Where the work units come from: each kind of source has inputs of its own. */
function SourceFields({ form }: FieldsProps) {
  switch (form.values.sourceKind) {
    case 'github':
      return (
        <fieldset className="worker-options">
          <legend>GitHub issues</legend>
          <TextField
            form={form}
            field="repository"
            label="Repository (owner/name)"
            placeholder="acme/app"
            spellCheck={false}
          />
          <TextField
            form={form}
            field="apiBaseUrl"
            label="API base URL (empty for github.com)"
            type="url"
            placeholder="https://github.example.com/api/v3"
            spellCheck={false}
          />
          <TextField
            form={form}
            field="excludeLabels"
            label="Exclude labels (comma-separated)"
            placeholder="wontfix, needs-owner"
            spellCheck={false}
          />
        </fieldset>
      );
    case 'task_list':
      return (
        <TextField
          form={form}
          field="taskListPath"
          label="Task list file"
          placeholder="tasks.md, in the repository, or a full path"
          spellCheck={false}
        />
      );
    case 'fixture':
      return <TextField form={form} field="units" label="Units" {...wholeNumberProps(UNITS_RANGE)} />;
  }
}

/** Who does the work, and how many at once. */
function WorkerFields({ form }: FieldsProps) {
  const { values, problems, set } = form;
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
      <TextField
        form={form}
        field="targetConcurrency"
        label="Target concurrency"
        {...wholeNumberProps(TARGET_CONCURRENCY_RANGE)}
      />
      <TextField
        form={form}
        field="maxPerAccount"
        label="Max per account"
        {...wholeNumberProps(MAX_PER_ACCOUNT_RANGE)}
      />
      {values.workerKind === 'fixture' && (
        <TextField
          form={form}
          field="fixtureDurationMs"
          label="Fixture duration (ms)"
          {...wholeNumberProps(FIXTURE_DURATION_RANGE)}
        />
      )}
    </fieldset>
  );
}

/** When the run completes on its own. */
function StopFields({ form }: FieldsProps) {
  const { values, problems, set } = form;
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
        <TextField
          form={form}
          field="targetCount"
          label="Target count"
          type="number"
          min={TARGET_COUNT_MIN ?? undefined}
          step={1}
        />
      )}
    </>
  );
}
