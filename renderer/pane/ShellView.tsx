import { useId, useRef, useState, type RefObject } from 'react';
import { commands } from '../../shared/contract';
import type { Card } from '../../shared/domain';
import { BusyButton } from '../app/BusyButton';
import { ErrorNote } from '../app/ErrorNote';
import { shellBlocker } from '../board/card-controls';
import { useUiStore } from '../state/ui-store';
import { shellTerminalOptions } from '../terminal/xterm-theme';
import { LEAVE_TERMINAL_KEY, TerminalView, type TerminalSize } from './TerminalView';
import { useCloseShell, useOpenShell, useShellIo } from './use-pane-commands';

/** xterm's own starting size, for a shell opened before the transcript was ever measured. */
const DEFAULT_SIZE: TerminalSize = { cols: 80, rows: 24 };

/** The contract's bounds on a pty's size: a pane squeezed smaller is still sent a valid one. */
const sizeShape = commands['shells.resize'].input.shape;

function clamp(value: number, min: number | null, max: number | null): number {
  return Math.min(max ?? value, Math.max(min ?? value, value));
}

function ptySize({ cols, rows }: TerminalSize): TerminalSize {
  return {
    cols: clamp(cols, sizeShape.cols.minValue, sizeShape.cols.maxValue),
    rows: clamp(rows, sizeShape.rows.minValue, sizeShape.rows.maxValue),
  };
}

/**
 * An interactive shell in the assignment's worktree: a pane of its own, fed like a transcript,
 * with keystrokes and resizes sent back. It stays open on the core (and remembered here) until closed.
 */
export function ShellView({
  card,
  title,
  sizeHint,
}: {
  card: Card;
  title: string;
  /** The transcript's size, which the shell's panel shares. */
  sizeHint: RefObject<TerminalSize | null>;
}) {
  const { assignmentId } = card;
  const paneId = useUiStore((state) => state.shellPanes[assignmentId] ?? null);
  const reasonId = useId();
  const closeRef = useRef<HTMLButtonElement>(null);
  const [ioError, setIoError] = useState<unknown>(null);

  const open = useOpenShell(assignmentId);
  const close = useCloseShell(assignmentId);
  const io = useShellIo(setIoError);

  if (paneId === null) {
    const blocker = shellBlocker(card);
    return (
      <div className="shell-start">
        <BusyButton
          disabled={blocker !== null}
          busy={open.isPending}
          busyText="Opening…"
          aria-describedby={blocker === null ? undefined : reasonId}
          onClick={() => open.mutate(ptySize(sizeHint.current ?? DEFAULT_SIZE))}
        >
          Open shell in worktree
        </BusyButton>
        {blocker === null ? (
          <p className="muted">
            A shell in <code>{card.repo.worktreePath}</code>, for looking at the worker's changes.
          </p>
        ) : (
          <p id={reasonId} className="muted">
            {blocker}
          </p>
        )}
        {open.isError && <ErrorNote error={open.error} />}
      </div>
    );
  }

  const send = (data: string) => io.send(paneId, data);
  const resize = (size: TerminalSize) => io.resize(paneId, ptySize(size));

  return (
    <div className="shell">
      <div className="shell-bar">
        <span className="muted">
          <code>{card.repo.worktreePath}</code> · <kbd>{LEAVE_TERMINAL_KEY}</kbd> leaves the terminal
        </span>
        <BusyButton ref={closeRef} busy={close.isPending} busyText="Closing…" onClick={() => close.mutate(paneId, { onSuccess: () => setIoError(null) })}>
          Close shell
        </BusyButton>
      </div>
      {close.isError && <ErrorNote error={close.error} />}
      {ioError !== null && <ErrorNote error={ioError} />}
      <TerminalView
        paneId={paneId}
        label={`Shell in ${title}`}
        options={shellTerminalOptions}
        onInput={send}
        onResize={resize}
        leaveTo={closeRef}
      />
    </div>
  );
}
