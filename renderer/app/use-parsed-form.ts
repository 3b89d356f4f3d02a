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
  const [problems, setProblems] = useState<Partial<P>>({});

  const set: SetField<V> = (field, value) => {
    setValues((current) => ({ ...current, [field]: value }));
  };

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const parsed = parse(values);
    if (!parsed.ok) {
      setProblems(parsed.problems);
      return;
    }
    setProblems({});
    onValid(parsed.input);
  };

  return { values, set, problems, submit };
}
