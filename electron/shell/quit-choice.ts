import type { WorkerFate } from '../core/assignments/task-service';

/** Quitting with workers running is a choice. The quit dialog's buttons, in order; the first is the default (work is never lost by pressing Enter). */
export const QUIT_CHOICES = [
  { label: 'Keep them running', fate: 'keep' },
  { label: 'Stop all workers', fate: 'stop' },
  { label: 'Cancel', fate: 'cancel' },
] as const satisfies readonly { label: string; fate: WorkerFate | 'cancel' }[];
const CANCEL_INDEX = QUIT_CHOICES.findIndex((choice) => choice.fate === 'cancel');

/** What the owner's answer means; a dialog closed by Escape is a cancel. */
export function fateOfChoice(index: number): WorkerFate | 'cancel' {
  return QUIT_CHOICES[index]?.fate ?? 'cancel';
}

/** The dialog's words for `live` running workers. */
export function quitQuestion(live: number): { message: string; detail: string } {
  const them = live === 1 ? '1 worker is' : `${live} workers are`;
  return {
    message: `${them} still running.`,
    detail:
      'Kept running, they go on in the background and the board picks them up again the next time it opens. Stopped, each is interrupted and closed out now.',
  };
}

/** The quit dialog's options (Electron's showMessageBox) for `live` running workers. */
export function quitDialogOptions(live: number) {
  return {
    type: 'question' as const,
    buttons: QUIT_CHOICES.map((choice) => choice.label),
    defaultId: 0,
    cancelId: CANCEL_INDEX,
    noLink: true,
    ...quitQuestion(live),
  };
}
