import { errorCode, errorText, isHostUnavailable } from '../bridge/errors';

/** A failure in words (its code only as data); an alert unless it is the lost host the banner already reports. */
export function ErrorNote({ error, className = '' }: { error: unknown; className?: string }) {
  return (
    <p role={isHostUnavailable(error) ? undefined : 'alert'} className={`error ${className}`.trim()} data-code={errorCode(error)}>
      {errorText(error)}
    </p>
  );
}
