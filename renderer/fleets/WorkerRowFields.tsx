import { Field } from '../app/Field';
import { providerOptions, removeWorker, renameWorker, workerTypeOptions, type WorkerRow } from './compose-form';

/** One worker of the compose dialog: its fields, its dependencies (the other workers) and its prompt. */
export function WorkerRowFields({
  row,
  workers,
  problems,
  setWorkers,
}: {
  row: WorkerRow;
  workers: readonly WorkerRow[];
  /** The form's and the core's problems with this worker, in words. */
  problems: readonly string[];
  setWorkers: (update: (workers: WorkerRow[]) => WorkerRow[]) => void;
}) {
  const update = (change: Partial<WorkerRow>) =>
    setWorkers((current) => current.map((candidate) => (candidate.key === row.key ? { ...candidate, ...change } : candidate)));
  const toggleDependency = (id: string, on: boolean) =>
    update({ dependsOn: on ? [...row.dependsOn, id] : row.dependsOn.filter((dependency) => dependency !== id) });
  const others = workers.filter((candidate) => candidate.key !== row.key);
  const text = (label: string, field: 'model' | 'maxTurns' | 'maxBudgetUsd' | 'task', type = 'text') => (
    <Field label={label}>
      {(props) => <input {...props} type={type} spellCheck={false} value={row[field]} onChange={(event) => update({ [field]: event.target.value })} />}
    </Field>
  );

  return (
    <fieldset className="worker-options fleet-worker-row" aria-invalid={problems.length > 0}>
      <legend>Worker {row.id}</legend>
      {problems.length > 0 && (
        <ul className="field-problem" role="alert">
          {problems.map((problem, index) => (
            <li key={index}>{problem}</li>
          ))}
        </ul>
      )}
      <Field label="Id">
        {(props) => (
          <input {...props} spellCheck={false} value={row.id} onChange={(event) => setWorkers((current) => renameWorker(current, row.key, event.target.value))} />
        )}
      </Field>
      <Field label="Type">
        {(props) => (
          <select {...props} value={row.type} onChange={(event) => update({ type: event.target.value })}>
            {workerTypeOptions.map((type) => (
              <option key={type} value={type}>
                {type}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label="Provider">
        {(props) => (
          <select {...props} value={row.provider} onChange={(event) => update({ provider: event.target.value })}>
            <option value="">fleet default</option>
            {providerOptions.map((provider) => (
              <option key={provider} value={provider}>
                {provider}
              </option>
            ))}
          </select>
        )}
      </Field>
      {text('Model', 'model')}
      {text('Max turns', 'maxTurns', 'number')}
      {text('Budget (USD)', 'maxBudgetUsd', 'number')}
      {text('Task', 'task')}
      <fieldset className="fleet-depends">
        <legend>Depends on</legend>
        {others.length === 0 && <span className="muted">no other workers</span>}
        {others.map((other) => (
          <label key={other.key} className="checkbox">
            <input type="checkbox" checked={row.dependsOn.includes(other.id)} onChange={(event) => toggleDependency(other.id, event.target.checked)} />{' '}
            {other.id}
          </label>
        ))}
      </fieldset>
      <Field label="Prompt">
        {(props) => (
          <textarea
            {...props}
            className="prompt-editor"
            rows={5}
            spellCheck={false}
            placeholder="What this worker should do. The line telling it where to save output is added for you."
            value={row.prompt}
            onChange={(event) => update({ prompt: event.target.value })}
          />
        )}
      </Field>
      <button type="button" onClick={() => setWorkers((current) => removeWorker(current, row.key))}>
        Remove worker {row.id}
      </button>
    </fieldset>
  );
}
