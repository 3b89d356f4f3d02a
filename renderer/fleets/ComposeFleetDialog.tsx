import { useState, type FormEvent } from 'react';
import type { FleetPreview } from '../../shared/fleets';
import { Field } from '../app/Field';
import { FormActions } from '../app/FormDialog';
import { ModalDialog } from '../app/ModalDialog';
import { useUiStore } from '../state/ui-store';
import {
  initialComposeValues,
  newWorkerRow,
  parseComposeForm,
  providerOptions,
  reasoningEffortOptions,
  type ComposeProblems,
  type ComposeValues,
  type WorkerRow,
} from './compose-form';
import { problemsByWorker, problemText } from './fleet-text';
import { FleetPreviewView } from './FleetPreviewView';
import { useComposeFleet } from './use-fleet-commands';
import { WorkerRowFields } from './WorkerRowFields';

const noProblems: ComposeProblems = { fleet: {}, workers: {} };

/** Writes a new fleet folder (fleet.json and each worker's prompt.md), then shows its preview and Launch. */
export function ComposeFleetDialog() {
  const closeDialog = useUiStore((state) => state.closeDialog);
  const [values, setValues] = useState<ComposeValues>(initialComposeValues);
  const [problems, setProblems] = useState<ComposeProblems>(noProblems);
  const [nextKey, setNextKey] = useState(1);
  const compose = useComposeFleet();
  const preview: FleetPreview | undefined = compose.data;
  const coreProblems = problemsByWorker(preview?.problems ?? []);

  const set = <F extends keyof ComposeValues>(field: F, value: ComposeValues[F]) =>
    setValues((current) => ({ ...current, [field]: value }));
  const setWorkers = (update: (workers: WorkerRow[]) => WorkerRow[]) =>
    setValues((current) => ({ ...current, workers: update(current.workers) }));
  const addWorker = () => {
    setWorkers((workers) => [...workers, newWorkerRow(nextKey, workers)]);
    setNextKey((key) => key + 1);
  };

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const parsed = parseComposeForm(values);
    if (!parsed.ok) {
      setProblems(parsed.problems);
      return;
    }
    setProblems(noProblems);
    compose.mutate(parsed.input);
  };

  return (
    <ModalDialog label="New fleet" onClose={closeDialog}>
      <form onSubmit={submit} noValidate className="fleet-compose">
        <h2>New fleet</h2>
        <fieldset className="worker-options">
          <legend>Fleet</legend>
          <TextInput label="Fleet folder (absolute path)" value={values.root} problem={problems.fleet.root} onChange={(text) => set('root', text)} autoFocus />
          <TextInput label="Fleet name" value={values.fleetName} problem={problems.fleet.fleetName} onChange={(text) => set('fleetName', text)} />
          <Field label="Provider">
            {(props) => (
              <select {...props} value={values.provider} onChange={(event) => set('provider', event.target.value)}>
                {providerOptions.map((provider) => (
                  <option key={provider} value={provider}>
                    {provider}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <TextInput label="Model" value={values.model} onChange={(text) => set('model', text)} />
          <Field label="Reasoning effort">
            {(props) => (
              <select {...props} value={values.reasoningEffort} onChange={(event) => set('reasoningEffort', event.target.value)}>
                <option value="">none</option>
                {reasoningEffortOptions.map((effort) => (
                  <option key={effort} value={effort}>
                    {effort}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <TextInput label="Max concurrent" value={values.maxConcurrent} problem={problems.fleet.maxConcurrent} onChange={(text) => set('maxConcurrent', text)} type="number" min={1} step={1} />
          <TextInput label="Fleet budget (USD)" value={values.maxBudgetFleet} problem={problems.fleet.maxBudgetFleet} onChange={(text) => set('maxBudgetFleet', text)} type="number" min={0} step="any" />
          <label className="checkbox">
            <input type="checkbox" checked={values.overwrite} onChange={(event) => set('overwrite', event.target.checked)} /> Replace an existing fleet.json
          </label>
        </fieldset>
        {values.workers.map((row) => (
          <WorkerRowFields
            key={row.key}
            row={row}
            workers={values.workers}
            problems={[...(problems.workers[row.key] ?? []), ...(coreProblems.get(row.id) ?? []).map(problemText)]}
            setWorkers={setWorkers}
          />
        ))}
        {problems.fleet.workers && (
          <p role="alert" className="error">
            {problems.fleet.workers}
          </p>
        )}
        <button type="button" onClick={addWorker}>
          Add worker
        </button>
        <FormActions problem={undefined} action={compose} submitText="Write fleet folder" busyText="Writing…" onCancel={closeDialog} />
      </form>
      {preview && <FleetPreviewView preview={preview} />}
    </ModalDialog>
  );
}

function TextInput({
  label,
  value,
  problem,
  onChange,
  ...inputProps
}: {
  label: string;
  value: string;
  problem?: string | undefined;
  onChange: (text: string) => void;
  autoFocus?: boolean;
  type?: string;
  min?: number;
  step?: number | string;
}) {
  return (
    <Field label={label} problem={problem}>
      {(props) => <input {...props} {...inputProps} spellCheck={false} value={value} onChange={(event) => onChange(event.target.value)} />}
    </Field>
  );
}
