import { useEffect, useRef, useState } from 'react';

/** Long enough to read, short enough not to linger next to the next copy. */
const COPIED_NOTE_MS = 2_000;

/** A copy-to-clipboard button with a brief, politely announced confirmation next to it. */
export function CopyButton({ text, label }: { text: string; label: string }) {
  const [note, setNote] = useState<{ text: string; failed: boolean } | null>(null);
  const timer = useRef<number | undefined>(undefined);
  useEffect(() => () => window.clearTimeout(timer.current), []);

  const copy = async () => {
    window.clearTimeout(timer.current);
    try {
      await navigator.clipboard.writeText(text);
      setNote({ text: 'Copied', failed: false });
      timer.current = window.setTimeout(() => setNote(null), COPIED_NOTE_MS);
    } catch {
      // The clipboard can refuse (no focus, no permission): the text is on screen to select by hand.
      setNote({ text: 'Could not copy: select the text and copy it by hand', failed: true });
    }
  };

  return (
    <>
      <button type="button" onClick={() => void copy()}>
        {label}
      </button>
      <span className={note?.failed ? 'copy-note error' : 'copy-note'} aria-live="polite">
        {note?.text}
      </span>
    </>
  );
}
