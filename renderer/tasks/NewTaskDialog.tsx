import type { Account, Provider } from '../../shared/accounts';
import { reasoningEfforts, workerKinds, workerTypes, type WorkerKind, type WorkerType } from '../../shared/domain';
import { readinessWords } from '../accounts/account-text';
import { ErrorNote } from '../app/ErrorNote';
import { Field, TextField, wholeNumberProps } from '../app/Field';
import { FormDialog } from '../app/FormDialog';
import { useParsedForm, type FormFields } from '../app/use-parsed-form';
import { useAccounts } from '../data/queries';
import { RepoPicker } from '../repos/RepoPicker';
import { useRepoDefaults } from '../repos/use-repo-defaults';
import { useUiStore } from '../state/ui-store';
import {
  initialTaskForm,
  MAX_BUDGET_USD,
  MAX_TURNS_RANGE,
  parseTaskForm,
  type FieldProblems,
  type TaskFormValues,
} from './task-form';
import { useCreateTask } from './use-task-commands';

/** The budget input steps in cents. */
const BUDGET_STEP_USD = 0.01;

/** "claude-2 (ready)", "codex (not logged in, paused)". */
function accountOptionText(account: Account): string {
  const paused = account.paused ? ', paused' : '';
  return `${account.ref} (${readinessWords[account.readiness]}${paused})`;
}

export function NewTaskDialog() {
  const closeDialog = useUiStore((state) => state.closeDialog);
  const openPane = useUiStore((state) => state.openPane);

  const createTask = useCreateTask();
  const form = useParsedForm(initialTaskForm, parseTaskForm, (input) =>
    createTask.mutate(input, {
      onSuccess: (card) => {
        closeDialog();
        openPane(card.assignmentId);
      },
    }),
  );
  const { values, problems, set } = form;
  // The verify command last used with the picked repository is filled in where none is typed.
  const repository = useRepoDefaults(values.repoPath, values, (defaults) => {
    if (defaults.verifyCommand !== undefined) set('verifyCommand', defaults.verifyCommand);
  });

  return (
    <FormDialog
      label="New task"
      onSubmit={form.submit}
      problem={problems.form}
      action={createTask}
      submitText="Start task"
      busyText="Starting…"
    >
      <TextField form={form} field="title" label="Title" autoFocus />
      <RepoPicker
        label="Repository path"
        value={values.repoPath}
        onChange={(path) => set('repoPath', path)}
        problem={problems.repoPath}
        repository={repository}
      />
      <Field label="Prompt" problem={problems.prompt}>
        {(props) => (
          <textarea {...props} rows={4} value={values.prompt} onChange={(e) => set('prompt', e.target.value)} />
        )}
      </Field>
      <TextField form={form} field="verifyCommand" label="Verify command" placeholder="npm test" spellCheck={false} />
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
          <TextField form={form} field="durationMs" label="Duration (ms)" type="number" min={0} step={1} />
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
        <ProviderOptions provider={values.workerKind} form={form} />
      )}
    </FormDialog>
  );
}

/** The options of a Claude or Codex worker: where it runs, how far it may go. */
function ProviderOptions({ provider, form }: { provider: Provider; form: FormFields<TaskFormValues, FieldProblems> }) {
  const { values, problems, set } = form;
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
      <TextField form={form} field="model" label="Model" placeholder="the CLI's default" spellCheck={false} />
      <TextField
        form={form}
        field="maxTurns"
        label="Max turns"
        {...wholeNumberProps(MAX_TURNS_RANGE)}
        placeholder="no limit"
      />
      {provider === 'claude' && (
        <TextField
          form={form}
          field="maxBudgetUsd"
          label="Budget (USD)"
          type="number"
          min={BUDGET_STEP_USD}
          max={MAX_BUDGET_USD ?? undefined}
          step={BUDGET_STEP_USD}
          placeholder="no limit"
        />
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
