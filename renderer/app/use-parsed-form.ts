import { useState, type FormEvent } from 'react';

export type SetField<V> = <F extends keyof V>(field: F, value: V[F]) => void;

/** A form's values as typed, the problems its last submit found, and the way to change a value. */
export interface FormFields<V, P> {
  values: V;
  problems: P;
  set: SetField<V>;
}

type Parsed<I, P> = { ok: true; input: I } | { ok: false; problems: Partial<P> };

/** A form that parses its values on submit: a parse that fails shows its problems, one that succeeds goes to `onValid`. */
export function useParsedForm<V, I, P>(
  initialValues: V,
  parse: (values: V) => Parsed<I, P>,
  onValid: (input: I) => void,
): FormFields<V, Partial<P>> & { submit: (event: FormEvent<HTMLFormElement>) => void } {
  const [values, setValues] = useState(initialValues);
  // After a submit that found problems, they are read off the current values: a fixed input loses its problem at once.
  const [checked, setChecked] = useState(false);
  const current = checked ? parse(values) : null;
  const problems: Partial<P> = current && !current.ok ? current.problems : {};

  const set: SetField<V> = (field, value) => {
    setValues((current) => ({ ...current, [field]: value }));
  };

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const parsed = parse(values);
    setChecked(!parsed.ok);
    if (parsed.ok) onValid(parsed.input);
  };

  return { values, set, problems, submit };
}
