import { useId, type ComponentProps, type ReactNode } from 'react';

interface ControlProps {
  id: string;
  'aria-invalid': boolean;
  'aria-describedby': string | undefined;
}

/** A labelled control whose problem is described, not part of its name. */
export function Field({
  label,
  problem,
  children,
}: {
  label: string;
  problem?: string | undefined;
  children: (props: ControlProps) => ReactNode;
}) {
  const id = useId();
  const problemId = `${id}-problem`;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children({ id, 'aria-invalid': problem !== undefined, 'aria-describedby': problem ? problemId : undefined })}
      {problem && (
        <p id={problemId} className="field-problem">
          {problem}
        </p>
      )}
    </div>
  );
}

/** What a text input needs of its form: its field's text and problem, and a way to change the text. */
interface TextForm<K extends string> {
  values: Record<K, string>;
  problems: Partial<Record<K, string>>;
  set: (field: K, value: string) => void;
}

/** A labelled input bound to one text field of a form (numbers too: the form keeps them as typed). */
export function TextField<K extends string>({
  form,
  field,
  label,
  ...inputProps
}: {
  form: TextForm<NoInfer<K>>;
  field: K;
  label: string;
} & Omit<ComponentProps<'input'>, 'form' | 'value' | 'onChange'>) {
  return (
    <Field label={label} problem={form.problems[field]}>
      {(props) => (
        <input
          {...props}
          {...inputProps}
          value={form.values[field]}
          onChange={(event) => form.set(field, event.target.value)}
        />
      )}
    </Field>
  );
}

/** A whole-number input's attributes, from a contract schema's bounds (null where it has none). */
export function wholeNumberProps(range: { min: number | null; max: number | null }) {
  return { type: 'number', min: range.min ?? undefined, max: range.max ?? undefined, step: 1 };
}
