import { errorCode, errorText, isHostUnavailable } from '../bridge/errors';

/** A failure in words (its code only as data); a lost host is said once, by the banner, not again here. */
export function ErrorNote({ error, className = '' }: { error: unknown; className?: string }) {
  if (isHostUnavailable(error)) return null;
  return (
    <p role="alert" className={`error ${className}`.trim()} data-code={errorCode(error)}>
      {errorText(error)}
    </p>
  );
}
