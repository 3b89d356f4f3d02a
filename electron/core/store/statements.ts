import type Database from 'better-sqlite3';
import type { Db } from './database';

type Statement = Database.Statement<unknown[]>;

/**
 * Statements kept per connection. SQL built from values would grow the cache without end, so past
 * this many the oldest is dropped; the store's fixed statements number well under it.
 */
export const STATEMENT_CACHE_MAX = 512;

const caches = new WeakMap<Db, Map<string, Statement>>();

/**
 * The connection's prepared statement for `sql`, compiled once and reused: preparing on every call
 * was a measurable share of the host's time under load. A reading statement comes back with pluck
 * off, so a caller's `.pluck()` never leaks into another caller of the same SQL.
 */
export function prepared(db: Db, sql: string): Statement {
  let cache = caches.get(db);
  if (!cache) {
    cache = new Map();
    caches.set(db, cache);
  }
  const cached = cache.get(sql);
  if (cached) {
    if (cached.reader) cached.pluck(false);
    return cached;
  }
  const statement = db.prepare(sql);
  if (cache.size >= STATEMENT_CACHE_MAX) cache.delete(cache.keys().next().value!);
  cache.set(sql, statement);
  return statement;
}
