import type { FleetFeedEntry } from '../../shared/fleets';

export const feedKindLabels: Record<FleetFeedEntry['kind'], string> = {
  message: 'message',
  tool_call: 'tool call',
  tool_result: 'tool result',
  state: 'state change',
};

/** The feed of one worker, or of all of them (null). */
export function filterFeed(entries: readonly FleetFeedEntry[], workerId: string | null): readonly FleetFeedEntry[] {
  return workerId === null ? entries : entries.filter((entry) => entry.workerId === workerId);
}

/** Within this many pixels of the bottom, the feed counts as following the newest line. */
export const FOLLOW_SLACK_PX = 24;

/** Whether a scrolled box shows its end: the owner has not scrolled up to read. */
export function isAtEnd(box: { scrollTop: number; scrollHeight: number; clientHeight: number }): boolean {
  return box.scrollHeight - box.scrollTop - box.clientHeight <= FOLLOW_SLACK_PX;
}
