import { useEffect, useRef } from 'react';

/**
 * Shows a <dialog> as modal while the component is mounted: the browser traps focus in it and makes
 * the rest of the page inert, and closing it hands focus back to where it was.
 */
export function useModal() {
  const dialogRef = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = dialogRef.current;
    dialog?.showModal();
    return () => dialog?.close();
  }, []);
  return dialogRef;
}
