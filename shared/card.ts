import type { CardState, CloseoutStatus, TokenLabel } from './domain';

/**
 * The card state rule of fleet-model.md, in its order: any live blocker -> blocked; closeout
 * accepted -> done; closeout failed -> failed; approval required -> waiting; otherwise working.
 */
export function cardState(input: {
  liveBlockers: readonly string[];
  closeout: CloseoutStatus;
  approvalRequired: boolean;
}): CardState {
  if (input.liveBlockers.length > 0) return 'blocked';
  if (input.closeout === 'ok') return 'done';
  if (input.closeout === 'failed') return 'failed';
  if (input.approvalRequired) return 'waiting';
  return 'working';
}

const tokenFormat = new Intl.NumberFormat('en-US');

/** "N exact" only from exact rows; while a turn is open, "pending exact rows"; never an estimate. */
export function tokenLabel(input: { exactTotal: number; rows: number; finished: boolean }): TokenLabel {
  const { exactTotal, rows, finished } = input;
  let text: string;
  if (rows > 0) text = `${tokenFormat.format(exactTotal)} exact`;
  else if (finished) text = 'not measured';
  else text = 'pending exact rows';
  return { text, exactTotal, rows };
}
