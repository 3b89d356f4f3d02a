import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { InboxItem } from '../../../shared/runs';
import { OWNER_ONLY_FILE } from '../store/owner-only';

/** The data dir's record of what the owner dismissed from the Inbox. */
export const INBOX_DISMISSED_FILE = 'inbox-dismissed.json';
/** The data dir's record of what the owner snoozed, and until when. */
export const INBOX_SNOOZED_FILE = 'inbox-snoozed.json';

const dismissedSchema = z.array(z.string());
/** Item id -> epoch ms until which it is hidden. */
const snoozedSchema = z.record(z.string(), z.number());

/**
 * An occurrence of an item: its id and when it arose. A dismissed item stays away until its cause
 * arises again (a run blocked anew has a new time), so dismissing never hides what happens next.
 */
function occurrence(item: Pick<InboxItem, 'id' | 'createdAt'>): string {
  return `${item.id}@${item.createdAt}`;
}

/**
 * What the owner dismissed or snoozed, kept owner-only in the data dir so it stays put across
 * restarts. A snooze hides the item by its id (whatever happens to it meanwhile) until its time
 * passes; then it is back by itself.
 */
export class InboxDismissals {
  private readonly dismissed: Set<string>;
  private readonly snoozed: Map<string, number>;

  constructor(
    private readonly dataDir: string,
    log: (message: string) => void,
  ) {
    this.dismissed = new Set(readRecord(this.file, dismissedSchema, [], log));
    this.snoozed = new Map(Object.entries(readRecord(this.snoozeFile, snoozedSchema, {}, log)));
  }

  private get file(): string {
    return path.join(this.dataDir, INBOX_DISMISSED_FILE);
  }

  private get snoozeFile(): string {
    return path.join(this.dataDir, INBOX_SNOOZED_FILE);
  }

  isSnoozed(item: InboxItem, now: number): boolean {
    return (this.snoozed.get(item.id) ?? 0) > now;
  }

  snooze(item: InboxItem, until: number): void {
    this.snoozed.set(item.id, until);
    writeOwnerOnly(this.snoozeFile, Object.fromEntries(this.snoozed));
  }

  /** Forgets snoozes whose time has passed, so the file never outgrows what is hidden now. */
  forgetSnoozesBefore(now: number): void {
    const passed = [...this.snoozed].filter(([, until]) => until <= now);
    if (passed.length === 0) return;
    for (const [id] of passed) this.snoozed.delete(id);
    writeOwnerOnly(this.snoozeFile, Object.fromEntries(this.snoozed));
  }

  isDismissed(item: InboxItem): boolean {
    return this.dismissed.has(occurrence(item));
  }

  dismiss(item: InboxItem): void {
    this.dismissed.add(occurrence(item));
    this.save();
  }

  /** Forgets dismissals of occurrences that are gone, so the file never outgrows the Inbox. */
  keepOnly(items: readonly InboxItem[]): void {
    const current = new Set(items.map(occurrence));
    const gone = [...this.dismissed].filter((key) => !current.has(key));
    if (gone.length === 0) return;
    for (const key of gone) this.dismissed.delete(key);
    this.save();
  }

  private save(): void {
    writeOwnerOnly(this.file, [...this.dismissed]);
  }
}

/** Through a temp file and a rename: a crash mid-write leaves the old record, never half of one. */
function writeOwnerOnly(file: string, value: unknown): void {
  const temp = `${file}.tmp`;
  writeFileSync(temp, JSON.stringify(value), { mode: OWNER_ONLY_FILE });
  renameSync(temp, file);
}

function readRecord<T>(file: string, schema: z.ZodType<T>, empty: T, log: (message: string) => void): T {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return empty;
  }
  try {
    return schema.parse(JSON.parse(text));
  } catch (error) {
    // An unreadable record costs only the dismissals or snoozes: the items show again.
    log(`${file} is not a record of Inbox items put away (${error instanceof Error ? error.message : String(error)}); starting with none`);
    return empty;
  }
}
