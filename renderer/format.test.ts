import { describe, expect, it } from 'vitest';
import { formatAgo, formatElapsed } from './format';

describe('formatAgo', () => {
  it('rounds down to the largest whole unit', () => {
    expect(formatAgo(59_000)).toBe('just now');
    expect(formatAgo(4 * 60_000 + 59_000)).toBe('4 min ago');
    expect(formatAgo(3 * 3_600_000)).toBe('3 h ago');
    expect(formatAgo(2 * 86_400_000 + 1)).toBe('2 d ago');
  });

  it('treats a time slightly in the future (clock skew) as just now', () => {
    expect(formatAgo(-5_000)).toBe('just now');
  });
});

describe('formatElapsed', () => {
  it('shows minutes and seconds, hours when needed', () => {
    expect(formatElapsed(7_000)).toBe('0:07');
    expect(formatElapsed(3_723_000)).toBe('1:02:03');
  });
});
