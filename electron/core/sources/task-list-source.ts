import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { FleetError } from '../../../shared/errors';
import type { WorkSourceConfig } from '../../../shared/runs';
import { maskSecrets } from '../../../shared/secret-mask';
import type { WorkSource, WorkUnitCandidate } from './work-source';

type TaskListConfig = Extract<WorkSourceConfig, { kind: 'task_list' }>;

/** A task as the file states it, before keys become unit keys. */
interface TaskEntry {
  line: number;
  key: string;
  title: string;
  body: string;
  done: boolean;
  after: string[];
}

const MARKDOWN_EXTENSIONS = new Set(['.md', '.markdown']);
const JSON_LINES_EXTENSIONS = new Set(['.jsonl', '.ndjson']);
/** `- [ ] title`, `* [x] title`: a checklist item at the start of a line. */
const CHECKLIST_ITEM = /^[-*+] \[(.)\](?:\s+(.*))?$/;
/** Continuation lines belong to the item above when indented at least this far (or by a tab). */
const CONTINUATION_INDENT = /^(?: {2}|\t)/;
/** `{#key}` at the end of an item's title. */
const KEY_SUFFIX = /\s*\{#([^}]*)\}\s*$/;
/** `(after: key1, key2)` at the end of an item's title. */
const AFTER_SUFFIX = /\s*\(after:([^)]*)\)\s*$/i;
/** Keys end up in unit keys and logs: letters, digits, `.`, `_` and `-`, starting with a letter or digit. */
const KEY = /^[\p{L}\p{N}][\p{L}\p{N}._-]*$/u;
/** Keeps derived keys readable in logs and on cards. */
const SLUG_MAX_CHARS = 60;

/** Messages finish the sentence `line 3: "title" ...`. */
const missingOr = (expected: string) => ({ error: (issue: { input?: unknown }) => (issue.input === undefined ? 'is missing.' : `must be ${expected}.`) });
const jsonTaskSchema = z.object(
  {
    key: z.string(missingOr('a string')).regex(KEY, 'may hold only letters, digits, ".", "_" and "-".'),
    title: z.string(missingOr('a string')).trim().min(1, 'must not be empty.'),
    prompt: z.string('must be a string.').optional(),
    done: z.boolean('must be true or false.').optional(),
    dependsOn: z.array(z.string('must be a key.'), 'must be a list of keys.').optional(),
  },
  'expected an object with "key" and "title".',
);

/** A Markdown checklist or JSON lines file, read afresh on every `list()` so edits show up in a running fleet. */
export function taskListSource(config: TaskListConfig): WorkSource {
  const file = path.basename(config.path);
  return {
    config,
    async list() {
      let text: string;
      try {
        // Editors on Windows may start the file with a byte-order mark; it is not part of line 1.
        text = (await readFile(config.path, 'utf8')).replace(/^\uFEFF/, '');
      } catch (error) {
        const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
        throw new FleetError('invalid_fleet_file', `Cannot read the task list ${config.path}: ${reason}.`);
      }
      const entries = isJsonLines(config.path, text, file) ? parseJsonLines(text, file) : parseMarkdown(text, file);
      if (entries.length === 0) throw new FleetError('invalid_fleet_file', `${file} has no tasks: add lines like "- [ ] title" or {"key","title"}.`);
      checkDependencies(entries, file);
      const unitKey = (key: string) => `tasks:${file}:${key}`;
      return entries.map(
        (entry): WorkUnitCandidate => ({
          key: unitKey(entry.key),
          number: null,
          title: entry.title,
          prompt: entry.body ? `${entry.title}\n\n${entry.body}` : entry.title,
          labels: [],
          state: entry.done ? 'closed' : 'open',
          pullRequest: null,
          dependsOn: entry.after.map(unitKey),
          url: null,
        }),
      );
    },
  };
}

/** By extension; otherwise by the first line that says something. */
function isJsonLines(filePath: string, text: string, file: string): boolean {
  const extension = path.extname(filePath).toLowerCase();
  if (JSON_LINES_EXTENSIONS.has(extension)) return true;
  if (MARKDOWN_EXTENSIONS.has(extension)) return false;
  const lines = text.split(/\r?\n/);
  const index = lines.findIndex((line) => line.trim() !== '');
  const first = lines[index]?.trim() ?? '';
  if (first.startsWith('{')) return true;
  if (first.startsWith('#') || CHECKLIST_ITEM.test(first)) return false;
  throw new FleetError(
    'invalid_fleet_file',
    `${file} line ${index + 1}: unknown format; use a Markdown checklist ("- [ ] title", .md) or JSON lines ({"key","title"}, .jsonl).`,
  );
}

/**
 * `- [ ] title` is an open task, `- [x] title` a done one. Indented lines under an item are its
 * prompt body; other lines (headings, prose) are ignored. The title may end with `(after: a, b)`
 * and `{#key}`; without a key, the key is the title's slug, `-2`, `-3`... for repeats in file
 * order. Give a task an explicit key if its title may change while it is claimed.
 */
function parseMarkdown(text: string, file: string): TaskEntry[] {
  const items: { line: number; mark: string; rest: string; body: string[] }[] = [];
  let current: (typeof items)[number] | null = null;
  text.split(/\r?\n/).forEach((line, index) => {
    const item = CHECKLIST_ITEM.exec(line);
    if (item) {
      current = { line: index + 1, mark: item[1] ?? '', rest: item[2] ?? '', body: [] };
      items.push(current);
    } else if (current && (CONTINUATION_INDENT.test(line) || line.trim() === '')) {
      current.body.push(line.replace(CONTINUATION_INDENT, ''));
    } else {
      current = null;
    }
  });

  const parsed = items.map(({ line, mark, rest, body }) => {
    const fail = (reason: string) => new FleetError('invalid_fleet_file', `${file} line ${line}: ${reason}`);
    if (mark !== ' ' && mark.toLowerCase() !== 'x') throw fail(`"[${mark}]" is not a checkbox; use "[ ]" or "[x]".`);
    let title = rest;
    let key: string | null = null;
    let after: string[] = [];
    // The two suffixes may come in either order.
    for (let found = true; found; ) {
      found = false;
      const keyMatch = KEY_SUFFIX.exec(title);
      if (keyMatch && key === null) {
        key = keyMatch[1]?.trim() ?? '';
        if (!KEY.test(key)) throw fail(`the key "{#${key}}" may hold only letters, digits, ".", "_" and "-".`);
        title = title.slice(0, keyMatch.index);
        found = true;
      }
      const afterMatch = AFTER_SUFFIX.exec(title);
      if (afterMatch && after.length === 0) {
        after = (afterMatch[1] ?? '').split(',').map((dependency) => dependency.trim());
        if (after.some((dependency) => dependency === '')) throw fail('"(after: ...)" needs keys separated by commas.');
        title = title.slice(0, afterMatch.index);
        found = true;
      }
    }
    title = title.trim();
    if (!title) throw fail('the task has no title.');
    return { line, key, title, body: body.join('\n').trim(), done: mark !== ' ', after };
  });

  const taken = new Set<string>();
  for (const entry of parsed) {
    if (entry.key === null) continue;
    if (taken.has(entry.key)) throw new FleetError('invalid_fleet_file', `${file} line ${entry.line}: the key "${entry.key}" is used twice.`);
    taken.add(entry.key);
  }
  return parsed.map((entry) => {
    if (entry.key !== null) return { ...entry, key: entry.key };
    const base = slug(entry.title);
    let key = base;
    for (let n = 2; taken.has(key); n += 1) key = `${base}-${n}`;
    taken.add(key);
    return { ...entry, key };
  });
}

/** One object per line: `{"key","title","prompt"?,"done"?,"dependsOn"?}`; blank lines are skipped. */
function parseJsonLines(text: string, file: string): TaskEntry[] {
  const entries: TaskEntry[] = [];
  const taken = new Set<string>();
  text.split(/\r?\n/).forEach((raw, index) => {
    if (raw.trim() === '') return;
    const fail = (reason: string) => new FleetError('invalid_fleet_file', `${file} line ${index + 1}: ${reason}`);
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      throw fail('not valid JSON.');
    }
    const result = jsonTaskSchema.safeParse(value);
    if (!result.success) {
      const issue = result.error.issues[0];
      const field = issue?.path.join('.');
      throw fail(field ? `"${field}" ${issue?.message}` : (issue?.message ?? 'not a task.'));
    }
    const task = result.data;
    if (taken.has(task.key)) throw fail(`the key "${task.key}" is used twice.`);
    taken.add(task.key);
    entries.push({ line: index + 1, key: task.key, title: task.title, body: task.prompt?.trim() ?? '', done: task.done ?? false, after: task.dependsOn ?? [] });
  });
  return entries;
}

/** Every dependency names a task of this file, and none leads back to itself (it would wait forever). */
function checkDependencies(entries: readonly TaskEntry[], file: string): void {
  const byKey = new Map(entries.map((entry) => [entry.key, entry]));
  for (const entry of entries) {
    const unknown = entry.after.find((dependency) => !byKey.has(dependency));
    if (unknown !== undefined) throw new FleetError('invalid_fleet_file', `${file} line ${entry.line}: depends on "${unknown}", which no task in the file has as its key.`);
  }
  const finished = new Set<string>();
  const visit = (entry: TaskEntry, trail: string[]) => {
    if (finished.has(entry.key)) return;
    if (trail.includes(entry.key)) {
      const cycle = [...trail.slice(trail.indexOf(entry.key)), entry.key].join(' -> ');
      throw new FleetError('invalid_fleet_file', `${file} line ${entry.line}: the dependencies go round in a circle: ${cycle}.`);
    }
    for (const dependency of entry.after) {
      const next = byKey.get(dependency);
      if (next) visit(next, [...trail, entry.key]);
    }
    finished.add(entry.key);
  };
  for (const entry of entries) visit(entry, []);
}

/**
 * The key a title gets when it has none. Keys are stored with claims, so this must not change
 * between versions: it is kept here rather than shared with branch-name slugs.
 */
function slug(title: string): string {
  // Masked first: a secret in a title must not become a key (on cards, branches and in the run log).
  const cleaned = maskSecrets(title)
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, SLUG_MAX_CHARS)
    .replace(/-+$/g, '');
  return cleaned || 'task';
}
