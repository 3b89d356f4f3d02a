import { describe, expect, it } from 'vitest';
import { buildFeedEntry } from '../data/builders';
import { filterFeed, FOLLOW_SLACK_PX, isAtEnd } from './feed';

describe('feed', () => {
  const entries = [buildFeedEntry(1, 'a'), buildFeedEntry(2, 'b', 'tool_call'), buildFeedEntry(3, 'a', 'state')];

  it('filters to one worker and keeps time order', () => {
    expect(filterFeed(entries, 'a').map((entry) => entry.cursor)).toEqual([1, 3]);
    expect(filterFeed(entries, null)).toBe(entries);
  });

  it('follows the newest line only while the owner is at the end', () => {
    expect(isAtEnd({ scrollTop: 500, scrollHeight: 800, clientHeight: 300 })).toBe(true);
    expect(isAtEnd({ scrollTop: 500 - FOLLOW_SLACK_PX, scrollHeight: 800, clientHeight: 300 })).toBe(true);
    expect(isAtEnd({ scrollTop: 100, scrollHeight: 800, clientHeight: 300 })).toBe(false);
  });
});
