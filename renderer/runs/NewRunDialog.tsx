import { workerTypes, type WorkerType } from '../../shared/domain';
import type { RepositoryInfo } from '../../shared/repos';
import { runWorkerKindSchema, type RunWorkerKind } from '../../shared/runs';
import { Field, TextField, wholeNumberProps } from '../app/Field';
import { FormDialog } from '../app/FormDialog';
import { useParsedForm, type FormFields } from '../app/use-parsed-form';
import { RepoPicker } from '../repos/RepoPicker';
import { useRepoDefaults } from '../repos/use-repo-defaults';
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
import { useCreateRun } from './use-run-commands';

const sourceKinds = Object.keys(sourceKindLabels) as SourceKind[];
const stopConditions = Object.keys(stopConditionLabels) as StopCondition[];

/** A sustained run: created as a draft that waits for the owner's approval before it claims anything. */
export function NewRunDialog() {
  const closeDialog = useUiStore((state) => state.closeDialog);
  const showRun = useUiStore((state) => state.showRun);

  const createRun = useCreateRun();
  const form = useParsedForm(initialRunForm, parseRunForm, (input) =>
    createRun.mutate(input, {
      onSuccess: (run) => {
        closeDialog();
        // The Board's run header says it waits for approval, here or in the Inbox.
        showRun(run.id);
      },
    }),
  );
  const { values, set } = form;
  // A picked repository selects its current branch and fills in the verify command last used with it.
  const repository = useRepoDefaults(values.repoPath, values, (defaults) => {
    if (defaults.branch !== undefined) set('branch', defaults.branch);
    if (defaults.verifyCommand !== undefined) set('verifyCommand', defaults.verifyCommand);
  });

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
      <RepoPicker
        label="Local repository path"
        value={values.repoPath}
        onChange={(path) => {
          set('repoPath', path);
          // A branch is a repository's own: another path starts again from its current branch.
          set('branch', '');
        }}
        problem={form.problems.repoPath}
        repository={repository}
      />
      <BranchField form={form} repository={repository.data} />
      <TextField form={form} field="verifyCommand" label="Verify command" placeholder="npm test" spellCheck={false} />
      <WorkerFields form={form} />
      <StopFields form={form} />
    </FormDialog>
  );
}

interface FieldsProps {
  form: FormFields<RunFormValues, RunFormProblems>;
}

/**
 * The branch the run starts at, from the repository's own branches, its current one selected. Before
 * a repository is picked, the one choice is "its current branch" (what an empty branch means).
 */
function BranchField({ form, repository }: FieldsProps & { repository: RepositoryInfo | undefined }) {
  const { values, problems, set } = form;
  const branches = repository?.branches ?? [];
  const known = branches.includes(values.branch);
  return (
    <Field label="Branch" problem={problems.branch}>
      {(props) => (
        <select {...props} value={known ? values.branch : ''} onChange={(e) => set('branch', e.target.value)}>
          {!known && (
            <option value="">
              {repository && repository.currentBranch === null ? 'Choose a branch (no branch is checked out)' : "The repository's current branch"}
            </option>
          )}
          {branches.map((branch) => (
            <option key={branch} value={branch}>
              {branch === repository?.currentBranch ? `${branch} (current)` : branch}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
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
