import { randomBytes } from 'node:crypto';
import { maskSecrets } from '../../shared/secret-mask';

/** Six random bytes keep refs short enough to read on a card and make collisions negligible. */
const REF_RANDOM_BYTES = 6;

export function newRef(prefix: string): string {
  return `${prefix}-${randomBytes(REF_RANDOM_BYTES).toString('hex')}`;
}

export function nowIso(): string {
  return new Date().toISOString();
}

/** A branch- and path-safe slug of a title, bounded so branch names stay readable. */
const SLUG_MAX_CHARS = 40;
export function slug(text: string): string {
  // Masked first: a secret pasted into a title must not end up in a branch name (or git's argv).
  const cleaned = maskSecrets(text)
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, SLUG_MAX_CHARS)
    .replace(/-+$/g, '');
  return cleaned || 'unit';
}
