import type { BoardMove } from '../app/shortcuts';

/**
 * Where an arrow key takes the Board's focus. `columns` holds each column's card ids top to bottom.
 * Up and down stay in the column (stopping at its ends); left and right go to the nearest column that has
 * cards, at the same row or its last card when that column is shorter. With no card focused yet, any arrow
 * focuses the first card. Returns null when there is no card to go to.
 */
export function nextCard(columns: readonly (readonly string[])[], current: string | null, move: Exclude<BoardMove, 'open'>): string | null {
  const at = current === null ? -1 : columns.findIndex((column) => column.includes(current));
  if (at === -1) return columns.find((column) => column.length > 0)?.[0] ?? null;
  const column = columns[at]!;
  const row = column.indexOf(current!);
  if (move === 'up') return column[Math.max(0, row - 1)]!;
  if (move === 'down') return column[Math.min(column.length - 1, row + 1)]!;
  const step = move === 'left' ? -1 : 1;
  for (let index = at + step; index >= 0 && index < columns.length; index += step) {
    const beside = columns[index]!;
    if (beside.length > 0) return beside[Math.min(row, beside.length - 1)]!;
  }
  return current;
}
