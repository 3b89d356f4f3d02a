import { useId, useState, type FormEvent } from 'react';
import type { Provider, ProviderInfo, Settings } from '../../shared/accounts';
import { BusyButton } from '../app/BusyButton';
import { ErrorNote } from '../app/ErrorNote';
import { Field } from '../app/Field';
import { useProviders, useSettings } from '../data/queries';
import { foundCliText, missingCliText } from './account-text';
import { useSaveSettings } from './use-account-commands';

const pathFields: { field: keyof Settings; label: string; provider: Provider }[] = [
  { field: 'codexPath', label: 'Codex CLI path', provider: 'codex' },
  { field: 'claudePath', label: 'Claude CLI path', provider: 'claude' },
];

/** Which CLIs the core found (or how to install them), and where to look for them. */
export function ProvidersPanel() {
  const providers = useProviders();
  const settings = useSettings();
  const headingId = useId();

  return (
    <section className="providers" aria-labelledby={headingId}>
      <h2 id={headingId}>Provider CLIs</h2>
      {providers.isPending && <p className="muted">Looking for the CLIs…</p>}
      {providers.isError && <ErrorNote error={providers.error} />}
      {providers.isSuccess && (
        <ul className="provider-list" aria-label="Provider CLIs">
          {providers.data.map((info) => (
            <ProviderItem key={info.provider} info={info} />
          ))}
        </ul>
      )}
      {settings.isError && <ErrorNote error={settings.error} />}
      {settings.isSuccess && <CliPathsForm settings={settings.data} />}
    </section>
  );
}

function ProviderItem({ info }: { info: ProviderInfo }) {
  if (info.found) return <li className="provider-found">{foundCliText(info)}</li>;
  return (
    <li className="provider-missing">
      <span aria-hidden="true">⚠ </span>
      {missingCliText(info)}
      {info.problem && <span className="muted"> ({info.problem})</span>}
    </li>
  );
}

function CliPathsForm({ settings }: { settings: Settings }) {
  const [values, setValues] = useState<Settings>(settings);
  const save = useSaveSettings();

  const set = (field: keyof Settings, value: string) => {
    setValues((current) => ({ ...current, [field]: value }));
    // "Saved" describes the values that were saved, not the ones being typed.
    save.reset();
  };

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    save.mutate({ codexPath: values.codexPath.trim(), claudePath: values.claudePath.trim() });
  };

  return (
    <form className="cli-paths" aria-label="CLI paths" onSubmit={submit}>
      {pathFields.map(({ field, label, provider }) => (
        <Field key={field} label={label}>
          {(props) => (
            <input
              {...props}
              value={values[field]}
              placeholder={`empty: find ${provider} on PATH`}
              spellCheck={false}
              onChange={(event) => set(field, event.target.value)}
            />
          )}
        </Field>
      ))}
      <div className="cli-paths-actions">
        <BusyButton type="submit" busy={save.isPending} busyText="Saving…">
          Save paths
        </BusyButton>
        {save.isSuccess && <span className="muted">Saved</span>}
      </div>
      {save.isError && <ErrorNote error={save.error} />}
    </form>
  );
}
