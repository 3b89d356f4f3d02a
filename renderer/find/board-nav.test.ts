import { describe, expect, it } from 'vitest';
import { nextCard } from './board-nav';

// Working | Waiting | Done | Failed | Blocked
const board = [['w1', 'w2', 'w3'], [], ['d1'], ['f1', 'f2'], []];

describe('nextCard', () => {
  it('starts on the first card when none is focused', () => {
    expect(nextCard(board, null, 'down')).toBe('w1');
    expect(nextCard([[], ['x']], null, 'left')).toBe('x');
    expect(nextCard([[], []], null, 'right')).toBeNull();
  });

  it('moves up and down within the column and stops at its ends', () => {
    expect(nextCard(board, 'w1', 'down')).toBe('w2');
    expect(nextCard(board, 'w3', 'down')).toBe('w3');
    expect(nextCard(board, 'w2', 'up')).toBe('w1');
    expect(nextCard(board, 'w1', 'up')).toBe('w1');
  });

  it('moves across columns, skipping empty ones, at the same row or the shorter column\'s last card', () => {
    expect(nextCard(board, 'w1', 'right')).toBe('d1');
    expect(nextCard(board, 'w3', 'right')).toBe('d1');
    expect(nextCard(board, 'd1', 'right')).toBe('f1');
    expect(nextCard(board, 'f2', 'left')).toBe('d1');
    expect(nextCard(board, 'd1', 'left')).toBe('w1');
  });

  it('stays put at the edges of the board', () => {
    expect(nextCard(board, 'w2', 'left')).toBe('w2');
    expect(nextCard(board, 'f2', 'right')).toBe('f2');
  });

  it('starts over from the first card when the focused one has left the board', () => {
    expect(nextCard(board, 'gone', 'up')).toBe('w1');
  });
});
