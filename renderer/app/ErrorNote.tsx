import { errorText, isHostUnavailable } from '../bridge/errors';

/** A failure as `code: message`; an alert unless it is the lost host the banner already reports. */
export function ErrorNote({ error, className = '' }: { error: unknown; className?: string }) {
  return (
    <p role={isHostUnavailable(error) ? undefined : 'alert'} className={`error ${className}`.trim()}>
      {errorText(error)}
    </p>
  );
}
