import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FleetError } from '../../../shared/errors';
import type { WorkSourceConfig } from '../../../shared/runs';
import { startFakeGithubApi, type FakeGithubApi, type FakeIssue, type FakePull } from '../../test-support/fake-github-api';
import { createWorkSource } from './create-source';
import { fixtureSource } from './fixture-source';
import { githubSource, githubToken } from './github-source';
import { taskListSource } from './task-list-source';
import type { WorkUnitCandidate } from './work-source';

const REPOSITORY = 'acme/widgets';
const TOKEN = 'ghp_fleetTestToken123';
/** Small pages, so 21 issue-API items take five pages and 9 pull requests two. */
const PAGE_SIZE = 5;

const ISSUES: FakeIssue[] = [
  { number: 1, title: 'Add login page', body: 'Users need to sign in.\n', labels: ['enhancement'] },
  { number: 2, title: 'Decide the license', body: 'MIT or Apache?', labels: ['needs-owner'] },
  { number: 3, title: 'Fix crash on save', body: 'Saving an empty file crashes.' },
  { number: 4, title: 'Update docs', body: 'The install section is stale.', state: 'closed' },
  { number: 5, title: 'Tidy the README', body: 'Shorter.' },
  { number: 6, title: 'Old idea', body: 'Not any more.', state: 'closed' },
  { number: 7, title: 'Fix typos', body: 'Several.' },
  { number: 8, title: 'Cache results', body: 'Cache the listing.' },
  { number: 9, title: 'Speed up startup', body: 'It takes 4 s.' },
  { number: 10, title: 'Upgrade dependencies', body: 'All of them.' },
  { number: 11, title: 'Rewrite in Rust', body: 'Why not.', labels: ['wontfix'] },
  { number: 12, title: 'Add dark mode', body: null, labels: ['enhancement', 'good first issue'] },
];

const PULLS: FakePull[] = [
  { number: 13, head: 'fix-save', body: 'Fixes #3' },
  { number: 14, head: 'docs', body: 'Rewrites the install section.\n\ncloses #4', merged: true },
  { number: 15, head: 'fleet/issue-5-readme', body: null },
  // No closing keyword, and the number is not at the start of a segment of the branch.
  { number: 16, head: 'fleet/run-1/fix-7-typos', body: 'Refs #7' },
  { number: 17, head: 'issue-8', state: 'closed' },
  { number: 18, head: 'startup-a', body: 'Resolves #9', state: 'closed' },
  { number: 19, head: 'startup-b', body: 'FIXES #9' },
  // Another repository's issue 10.
  { number: 20, head: 'deps', body: 'Fixes other/repo#10' },
  { number: 21, head: 'fleet/12-dark-mode', merged: true },
];

function candidate(number: number, fields: Partial<WorkUnitCandidate> = {}): WorkUnitCandidate {
  const issue = ISSUES.find((entry) => entry.number === number);
  if (!issue) throw new Error(`no issue ${number}`);
  return {
    key: `github:${REPOSITORY}#${number}`,
    number,
    title: issue.title,
    prompt: `#${number} ${issue.title}\n\n${issue.body?.trim()}`,
    labels: [],
    state: 'open',
    pullRequest: null,
    dependsOn: [],
    url: `https://github.com/${REPOSITORY}/issues/${number}`,
    ...fields,
  };
}

function githubConfig(api: FakeGithubApi, repository = REPOSITORY): Extract<WorkSourceConfig, { kind: 'github' }> {
  return { kind: 'github', repository, apiBaseUrl: api.url, excludeLabels: ['wontfix'] };
}

async function fleetError(promise: Promise<unknown>): Promise<FleetError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  if (!(error instanceof FleetError)) throw new Error(`expected a FleetError, got ${String(error)}`);
  return error;
}

describe('github source', () => {
  let api: FakeGithubApi;

  beforeEach(async () => {
    api = await startFakeGithubApi({ repository: REPOSITORY, issues: ISSUES, pulls: PULLS, token: TOKEN, perPage: PAGE_SIZE });
  });
  afterEach(async () => {
    await api.close();
  });

  it('lists every issue, open and closed, with labels and the pull request that links it, across pages', async () => {
    const units = await githubSource(githubConfig(api), { token: TOKEN }).list();

    expect(units).toEqual([
      candidate(1, { labels: ['enhancement'], prompt: '#1 Add login page\n\nUsers need to sign in.' }),
      candidate(2, { labels: ['needs-owner'] }),
      candidate(3, { pullRequest: { number: 13, state: 'open' } }),
      candidate(4, { state: 'closed', pullRequest: { number: 14, state: 'merged' } }),
      candidate(5, { pullRequest: { number: 15, state: 'open' } }),
      candidate(6, { state: 'closed' }),
      candidate(7),
      candidate(8, { pullRequest: { number: 17, state: 'closed' } }),
      candidate(9, { pullRequest: { number: 19, state: 'open' } }),
      candidate(10),
      candidate(11, { labels: ['wontfix'] }),
      candidate(12, { labels: ['enhancement', 'good first issue'], prompt: '#12 Add dark mode', pullRequest: { number: 21, state: 'merged' } }),
    ]);

    // The first page by name, the rest by following the Link header's rel="next", each asking for 100.
    const pages = (resource: string) => api.requests.filter((request) => request.path.endsWith(`/${resource}`)).map((request) => [request.path, request.query.page ?? '1']);
    expect(pages('issues')).toEqual([
      [`/repos/${REPOSITORY}/issues`, '1'],
      ['/repositories/1296269/issues', '2'],
      ['/repositories/1296269/issues', '3'],
      ['/repositories/1296269/issues', '4'],
      ['/repositories/1296269/issues', '5'],
    ]);
    expect(pages('pulls')).toEqual([
      [`/repos/${REPOSITORY}/pulls`, '1'],
      ['/repositories/1296269/pulls', '2'],
    ]);
    for (const request of api.requests) {
      expect(request).toMatchObject({ method: 'GET', authorized: true, query: { state: 'all', per_page: '100' } });
    }
  });

  it('reads the repository afresh on every listing', async () => {
    const source = githubSource(githubConfig(api), { token: TOKEN });
    await source.list();
    const first = api.requests.length;
    await source.list();
    expect(api.requests.length).toBe(2 * first);
  });

  it('turns a rejected token into source_unavailable without repeating the token', async () => {
    const wrong = 'ghp_wrongSecretValue42';
    const error = await fleetError(githubSource(githubConfig(api), { token: wrong }).list());
    expect(error.code).toBe('source_unavailable');
    expect(error.message).toContain(`GitHub rejected the token while listing ${REPOSITORY} (401 Bad credentials)`);
    expect(error.message).toContain('gh auth login');
    expect(error.message).not.toContain(wrong);
    expect(api.requests.every((request) => !request.authorized)).toBe(true);
  });

  it('says so when the API wants a token and there is none', async () => {
    const error = await fleetError(githubSource(githubConfig(api), { token: null }).list());
    expect(error.code).toBe('source_unavailable');
    expect(error.message).toContain(`GitHub wants a token to list ${REPOSITORY} (401 Bad credentials)`);
  });

  it('reports an unknown repository, a used-up rate limit and an unreachable API as source_unavailable', async () => {
    const missing = await fleetError(githubSource(githubConfig(api, 'acme/nothing'), { token: TOKEN }).list());
    expect(missing.code).toBe('source_unavailable');
    expect(missing.message).toBe(`GitHub at ${api.url} has no repository acme/nothing, or the token cannot see it (404).`);

    const limited = await startFakeGithubApi({ repository: REPOSITORY, issues: ISSUES, pulls: PULLS, perPage: PAGE_SIZE, rateLimit: 3 });
    try {
      const error = await fleetError(githubSource(githubConfig(limited), { token: null }).list());
      expect(error.code).toBe('source_unavailable');
      expect(error.message).toMatch(/^GitHub's rate limit is used up while listing acme\/widgets \(403\)\. It resets at \d{4}-\d\d-\d\dT[\d:.]+Z\./);
      expect(error.message).toContain('Unauthenticated requests get a small limit');
    } finally {
      await limited.close();
    }

    const gone = await startFakeGithubApi({ repository: REPOSITORY, issues: [] });
    await gone.close();
    const unreachable = await fleetError(githubSource(githubConfig(gone), { token: TOKEN }).list());
    expect(unreachable.code).toBe('source_unavailable');
    expect(unreachable.message).toMatch(new RegExp(`^Could not reach GitHub at ${gone.url} to list acme/widgets: .+`));
    expect(unreachable.message).not.toContain(TOKEN);
  });

  it('passes on any other answer with its status, never echoing the token', async () => {
    const echo = http.createServer((request, response) => {
      response.writeHead(502, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ message: `upstream refused ${request.headers.authorization}` }));
    });
    await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
    try {
      const apiBaseUrl = `http://127.0.0.1:${(echo.address() as AddressInfo).port}`;
      const error = await fleetError(githubSource({ kind: 'github', repository: REPOSITORY, apiBaseUrl, excludeLabels: [] }, { token: TOKEN }).list());
      expect(error.toValue()).toEqual({ code: 'source_unavailable', message: `GitHub answered 502 while listing ${REPOSITORY}: upstream refused token [redacted].` });
    } finally {
      echo.closeAllConnections();
      await new Promise((resolve) => echo.close(resolve));
    }
  });
});

describe('githubToken', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'khala-gh-config-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  const hostsFile = (text: string) => {
    const file = path.join(dir, 'hosts.yml');
    writeFileSync(file, text);
    return file;
  };

  /** What gh 2.40+ writes: the active account's token at the host level, every account's under users. */
  const HOSTS = [
    '# written by gh',
    'github.com:',
    '    users:',
    '        someone-else:',
    '            oauth_token: gho_otherAccount',
    '        octocat:',
    '            oauth_token: gho_activeAccount',
    '    git_protocol: https',
    '    oauth_token: gho_activeAccount',
    '    user: octocat',
    'ghe.example.com:',
    '    oauth_token: "ghe_quotedToken"',
    '    user: octocat',
    'acme.ghe.com:',
    '    oauth_token: ghu_tenantToken # a comment',
    '',
  ].join('\n');

  it('takes GH_TOKEN, then GITHUB_TOKEN, from the environment before any file', () => {
    const file = hostsFile(HOSTS);
    expect(githubToken({ GH_TOKEN: 'gh-env', GITHUB_TOKEN: 'github-env' }, file)).toBe('gh-env');
    expect(githubToken({ GH_TOKEN: '  ', GITHUB_TOKEN: 'github-env' }, file)).toBe('github-env');
  });

  it("reads the active account's oauth_token for the API's host from gh's hosts.yml", () => {
    const file = hostsFile(HOSTS);
    expect(githubToken({}, file)).toBe('gho_activeAccount');
    expect(githubToken({}, file, 'https://api.github.com')).toBe('gho_activeAccount');
    expect(githubToken({}, file, 'https://ghe.example.com/api/v3')).toBe('ghe_quotedToken');
    expect(githubToken({}, file, 'https://api.acme.ghe.com')).toBe('ghu_tenantToken');
    expect(githubToken({}, file, 'https://unknown.example.com/api/v3')).toBeNull();
  });

  it("never hands a github.com token from the environment to another host", () => {
    const file = hostsFile(HOSTS);
    expect(githubToken({ GITHUB_TOKEN: 'github-env' }, file, 'https://ghe.example.com/api/v3')).toBe('ghe_quotedToken');
    expect(githubToken({ GITHUB_TOKEN: 'github-env', GH_ENTERPRISE_TOKEN: 'enterprise-env' }, file, 'https://ghe.example.com/api/v3')).toBe('enterprise-env');
    expect(githubToken({ GITHUB_TOKEN: 'github-env' }, file, 'https://api.acme.ghe.com')).toBe('github-env');
  });

  it('finds hosts.yml through GH_CONFIG_DIR and XDG_CONFIG_HOME, and is null without a login', () => {
    hostsFile(HOSTS);
    expect(githubToken({ GH_CONFIG_DIR: dir })).toBe('gho_activeAccount');
    mkdirSync(path.join(dir, 'xdg', 'gh'), { recursive: true });
    writeFileSync(path.join(dir, 'xdg', 'gh', 'hosts.yml'), 'github.com:\n    oauth_token: gho_xdg\n');
    expect(githubToken({ XDG_CONFIG_HOME: path.join(dir, 'xdg') })).toBe('gho_xdg');

    expect(githubToken({ GH_CONFIG_DIR: path.join(dir, 'absent') })).toBeNull();
    // gh keeps the token in the system keyring: hosts.yml names the user only.
    const keyring = hostsFile('github.com:\n    git_protocol: https\n    user: octocat\n');
    expect(githubToken({}, keyring)).toBeNull();
  });
});

describe('task list source', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'khala-tasks-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  const write = (name: string, lines: string[]) => {
    const file = path.join(dir, name);
    writeFileSync(file, lines.join('\n'));
    return file;
  };
  const list = (file: string) => taskListSource({ kind: 'task_list', path: file }).list();
  const task = (key: string, title: string, fields: Partial<WorkUnitCandidate> = {}): WorkUnitCandidate => ({
    key: `tasks:tasks.md:${key}`,
    number: null,
    title,
    prompt: title,
    labels: [],
    state: 'open',
    pullRequest: null,
    dependsOn: [],
    url: null,
    ...fields,
  });

  const MARKDOWN = [
    '# Sprint tasks',
    '',
    'Prose between tasks is not a task.',
    '',
    '- [ ] Write the parser {#parser}',
    '  Parse both formats.',
    '',
    '  Name the line on errors.',
    '- [x] Set up CI',
    '- [ ] Document the format (after: parser, set-up-ci)',
    '    - [ ] an indented item stays in the body',
    '- [ ] Fix typo',
    '- [ ] Fix typo',
    '* [X] Ship it (after: document-the-format) {#ship}',
  ];

  it('reads a Markdown checklist: state, prompt body, keys, dependencies', async () => {
    const units = await list(write('tasks.md', MARKDOWN));
    expect(units).toEqual([
      task('parser', 'Write the parser', { prompt: 'Write the parser\n\nParse both formats.\n\nName the line on errors.' }),
      task('set-up-ci', 'Set up CI', { state: 'closed' }),
      task('document-the-format', 'Document the format', {
        prompt: 'Document the format\n\n- [ ] an indented item stays in the body',
        dependsOn: ['tasks:tasks.md:parser', 'tasks:tasks.md:set-up-ci'],
      }),
      task('fix-typo', 'Fix typo'),
      task('fix-typo-2', 'Fix typo'),
      task('ship', 'Ship it', { state: 'closed', dependsOn: ['tasks:tasks.md:document-the-format'] }),
    ]);
  });

  it('keeps keys across re-reads and edits elsewhere in the file', async () => {
    const file = write('tasks.md', MARKDOWN);
    const keysByTitle = (units: WorkUnitCandidate[]) => new Map(units.map((unit) => [unit.title, unit.key]));
    const before = await list(file);
    expect(await list(file)).toEqual(before);

    // A new task on top, a task ticked off, prose rewritten, the parser's title changed (it has a key).
    const edited = MARKDOWN.map((line) =>
      line === '- [ ] Write the parser {#parser}' ? '- [x] Write the parser for both formats {#parser}' : line === 'Prose between tasks is not a task.' ? 'Different prose.' : line,
    );
    edited.splice(2, 0, '- [ ] Brand new task', '');
    writeFileSync(file, edited.join('\n'));
    const after = await list(file);

    expect(after.map((unit) => unit.key)).toEqual(['tasks:tasks.md:brand-new-task', ...before.map((unit) => unit.key)]);
    expect(after.find((unit) => unit.key === 'tasks:tasks.md:parser')).toMatchObject({ title: 'Write the parser for both formats', state: 'closed' });
    const unchanged = keysByTitle(after);
    for (const [title, key] of keysByTitle(before)) if (title !== 'Write the parser') expect(unchanged.get(title)).toBe(key);
  });

  it('reads JSON lines', async () => {
    const file = write('backlog.jsonl', [
      JSON.stringify({ key: 'schema', title: 'Design the schema', prompt: 'Tables for runs and claims.' }),
      '',
      JSON.stringify({ key: 'store', title: 'Write the store', done: true, dependsOn: ['schema'], owner: 'ignored' }),
    ]);
    expect(await list(file)).toEqual([
      task('schema', 'Design the schema', { key: 'tasks:backlog.jsonl:schema', prompt: 'Design the schema\n\nTables for runs and claims.' }),
      task('store', 'Write the store', { key: 'tasks:backlog.jsonl:store', state: 'closed', dependsOn: ['tasks:backlog.jsonl:schema'] }),
    ]);
  });

  it('tells JSON lines from Markdown by content when the extension says nothing', async () => {
    expect((await list(write('tasks.txt', ['- [ ] From a text file'])))[0]?.key).toBe('tasks:tasks.txt:from-a-text-file');
    expect((await list(write('tasks', ['{"key":"k","title":"No extension"}'])))[0]?.key).toBe('tasks:tasks:k');
    expect((await list(write('bom.jsonl', ['\uFEFF{"key":"k","title":"After a byte-order mark"}'])))[0]?.title).toBe('After a byte-order mark');
  });

  it.each([
    ['tasks.md', ['# Tasks', '', '- [?] Odd box'], 'tasks.md line 3: "[?]" is not a checkbox; use "[ ]" or "[x]".'],
    ['tasks.md', ['- [ ] Fine', '- [ ] {#only-a-key}'], 'tasks.md line 2: the task has no title.'],
    ['tasks.md', ['- [ ] One {#same}', '- [ ] Two {#same}'], 'tasks.md line 2: the key "same" is used twice.'],
    ['tasks.md', ['- [ ] Bad key {#no spaces}'], 'tasks.md line 1: the key "{#no spaces}" may hold only letters, digits, ".", "_" and "-".'],
    ['tasks.md', ['- [ ] A', '- [ ] B (after: a, nope)'], 'tasks.md line 2: depends on "nope", which no task in the file has as its key.'],
    ['tasks.md', ['- [ ] A (after: c)', '- [ ] B (after: a)', '- [ ] C (after: b)'], 'tasks.md line 1: the dependencies go round in a circle: a -> c -> b -> a.'],
    ['tasks.md', ['# Nothing to do yet'], 'tasks.md has no tasks: add lines like "- [ ] title" or {"key","title"}.'],
    ['tasks.jsonl', ['{"key":"a","title":"A"}', '{"key":"b",', '{"key":"c","title":"C"}'], 'tasks.jsonl line 2: not valid JSON.'],
    ['tasks.jsonl', ['', '{"key":"a"}'], 'tasks.jsonl line 2: "title" is missing.'],
    ['tasks.jsonl', ['{"key":"a","title":"  "}'], 'tasks.jsonl line 1: "title" must not be empty.'],
    ['tasks.jsonl', ['{"key":"a","title":"A","done":"yes"}'], 'tasks.jsonl line 1: "done" must be true or false.'],
    ['tasks.jsonl', ['["a","A"]'], 'tasks.jsonl line 1: expected an object with "key" and "title".'],
    ['tasks.jsonl', ['{"key":"a","title":"A"}', '{"key":"a","title":"Again"}'], 'tasks.jsonl line 2: the key "a" is used twice.'],
    ['tasks.jsonl', ['{"key":"a","title":"A","dependsOn":["b"]}'], 'tasks.jsonl line 1: depends on "b", which no task in the file has as its key.'],
    ['notes.txt', ['', 'Just some notes.'], 'notes.txt line 2: unknown format; use a Markdown checklist ("- [ ] title", .md) or JSON lines ({"key","title"}, .jsonl).'],
  ])('refuses a malformed %s as invalid_fleet_file naming the line: %s', async (name, lines, message) => {
    const error = await fleetError(list(write(name, lines)));
    expect(error.toValue()).toEqual({ code: 'invalid_fleet_file', message });
  });

  it('refuses a missing file as invalid_fleet_file', async () => {
    const file = path.join(dir, 'absent.md');
    const error = await fleetError(list(file));
    expect(error.toValue()).toEqual({ code: 'invalid_fleet_file', message: `Cannot read the task list ${file}: no such file.` });
  });
});

describe('fixture source', () => {
  it('lists N open units numbered 1..N', async () => {
    const units = await fixtureSource({ kind: 'fixture', units: 3 }).list();
    expect(units.map((unit) => [unit.key, unit.number, unit.title, unit.state])).toEqual([
      ['fixture:1', 1, 'Fixture unit 1', 'open'],
      ['fixture:2', 2, 'Fixture unit 2', 'open'],
      ['fixture:3', 3, 'Fixture unit 3', 'open'],
    ]);
    for (const unit of units) expect(unit).toMatchObject({ labels: [], pullRequest: null, dependsOn: [], url: null, prompt: expect.stringContaining(unit.title) });
  });
});

describe('createWorkSource', () => {
  it('makes the source the config names', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'khala-create-'));
    try {
      const file = path.join(dir, 'tasks.md');
      writeFileSync(file, '- [ ] Only task\n');
      expect((await createWorkSource({ kind: 'task_list', path: file }, {}).list()).map((unit) => unit.key)).toEqual(['tasks:tasks.md:only-task']);
      expect(await createWorkSource({ kind: 'fixture', units: 2 }, {}).list()).toHaveLength(2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("gives a GitHub source the host's token from the environment, and a github.com token to no other host", async () => {
    const api = await startFakeGithubApi({ repository: REPOSITORY, issues: ISSUES.slice(0, 2), token: TOKEN });
    const config: WorkSourceConfig = { kind: 'github', repository: REPOSITORY, apiBaseUrl: api.url, excludeLabels: [] };
    // An empty gh config dir, so no hosts.yml outside the test is read.
    const ghConfig = mkdtempSync(path.join(os.tmpdir(), 'khala-gh-empty-'));
    try {
      const units = await createWorkSource(config, { GH_ENTERPRISE_TOKEN: TOKEN, GH_CONFIG_DIR: ghConfig }).list();
      expect(units.map((unit) => unit.key)).toEqual([`github:${REPOSITORY}#1`, `github:${REPOSITORY}#2`]);

      const error = await fleetError(createWorkSource(config, { GITHUB_TOKEN: TOKEN, GH_CONFIG_DIR: ghConfig }).list());
      expect(error.code).toBe('source_unavailable');
      expect(api.requests.at(-1)?.authorized).toBe(false);
    } finally {
      await api.close();
      rmSync(ghConfig, { recursive: true, force: true });
    }
  });
});
