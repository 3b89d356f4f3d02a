import type { ComponentProps } from 'react';

/** A button that is disabled, and says it is busy, while its action runs; `busyText` replaces its text meanwhile. */
export function BusyButton({
  busy,
  busyText,
  disabled,
  children,
  ...props
}: ComponentProps<'button'> & { busy: boolean; busyText?: string }) {
  return (
    <button type="button" {...props} disabled={busy || disabled} aria-busy={busy}>
      {busy && busyText !== undefined ? busyText : children}
    </button>
  );
}
