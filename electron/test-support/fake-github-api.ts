import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { closeLoopback, listenOnLoopback } from './loopback-server';

/**
 * A local stand-in for api.github.com serving the two list endpoints a GitHub work source reads,
 * in the REST wire format (docs.github.com/rest, API version 2022-11-28):
 *
 * - `GET /repos/{owner}/{repo}/issues?state=open|closed|all&per_page&page`: issues AND pull
 *   requests (each pull request also appears as an issue carrying a `pull_request` object),
 *   newest first; labels as objects.
 * - `GET /repos/{owner}/{repo}/pulls?state=...&per_page&page`: pull requests, newest first, with
 *   `head.ref` and `merged_at`.
 * - Pagination: `per_page` defaults to 30 and is capped at 100 (and at `perPage`, so tests reach
 *   page 2 with a handful of items). A `Link` header lists `prev`, `next`, `last`, `first` in
 *   that order, each `<url>; rel="..."`, joined by `, `; like GitHub, the URLs point at
 *   `/repositories/{id}/...` (also served here) and keep the request's other query parameters.
 * - With `token` set, a request whose `authorization` is not `token <token>` / `bearer <token>`
 *   gets 401 `{"message":"Bad credentials",...}`. Another repository gets 404 `Not Found`.
 * - With `rateLimit` set, requests after that many get 403 "API rate limit exceeded" with
 *   `x-ratelimit-remaining: 0`, as GitHub's primary rate limit answers.
 * - `POST /repos/{owner}/{repo}/pulls {title, head, base, body}`: 201 with the new pull request. A
 *   second open one for the same head is 422 "A pull request already exists for owner:head."; with
 *   `remote` set, a head branch the remote does not have is 422 `{field: 'head', code: 'invalid'}`.
 * - `GET /repos/{owner}/{repo}/pulls/{n}`: the pull request (404 for an unknown number).
 * - `PUT /repos/{owner}/{repo}/pulls/{n}/merge {commit_title, merge_method}`: with `remote` set the
 *   merge is made for real in that bare repository (a merge commit of head into base); 200
 *   `{sha, merged: true, message}`, 405 "Pull Request is not mergeable" on a conflict, 405 "Pull
 *   Request is not open" once merged or closed.
 */

export interface FakeIssue {
  number: number;
  title: string;
  body?: string | null;
  state?: 'open' | 'closed';
  labels?: string[];
}

export interface FakePull {
  number: number;
  /** The head branch's name. */
  head: string;
  /** The branch it merges into (main when not given). */
  base?: string;
  title?: string;
  body?: string | null;
  /** A merged pull request is closed whatever this says. */
  state?: 'open' | 'closed';
  merged?: boolean;
}

export interface FakeGithubApiOptions {
  /** `owner/name`; any other repository is 404. */
  repository: string;
  issues: FakeIssue[];
  pulls?: FakePull[];
  /** When set, every request must carry it. */
  token?: string;
  /** The most items a page holds, whatever `per_page` asks for. */
  perPage?: number;
  /** How many requests are served before the rate limit is used up. */
  rateLimit?: number;
  /** A bare repository standing for the GitHub repository's git side: pushes land here, merges are made here. */
  remote?: string;
}

export interface FakeGithubRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  /** Whether the request carried the configured token (always true when none is configured). */
  authorized: boolean;
}

export interface FakeGithubApi {
  /** `http://127.0.0.1:PORT`, to use as the API base URL. */
  url: string;
  /** Every request received, in order. */
  requests: FakeGithubRequest[];
  /** Every pull request, the created ones included. */
  pulls: FakePull[];
  close(): Promise<void>;
}

/** octocat/Hello-World's id: any stable number does, Link URLs only need to resolve back here. */
const REPOSITORY_ID = 1296269;
/** GitHub's page size when `per_page` is not given, and the largest it serves. */
const DEFAULT_PER_PAGE = 30;
const MAX_PER_PAGE = 100;
/** GitHub's hourly limit for an authenticated user. */
const RATE_LIMIT = 5000;
const RATE_LIMIT_WINDOW_SECONDS = 60 * 60;
/** Creation times one hour apart in number order, so "newest first" is "highest number first". */
const EPOCH_MS = Date.UTC(2026, 0, 1);
const HOUR_MS = 60 * 60 * 1000;
const STATES = ['open', 'closed', 'all'] as const;
const DOCS = 'https://docs.github.com/rest';
const WEB = 'https://github.com';

const HTTP_OK = 200;
const HTTP_CREATED = 201;
const HTTP_NOT_ALLOWED = 405;
const HTTP_UNAUTHORIZED = 401;
const HTTP_FORBIDDEN = 403;
const HTTP_NOT_FOUND = 404;
const HTTP_UNPROCESSABLE = 422;

export async function startFakeGithubApi(options: FakeGithubApiOptions): Promise<FakeGithubApi> {
  const repository = options.repository;
  const [owner = ''] = repository.split('/');
  const pulls = [...(options.pulls ?? [])];
  const taken = new Set<number>();
  for (const { number } of [...options.issues, ...pulls]) {
    // Issues and pull requests share one number sequence on GitHub.
    if (taken.has(number)) throw new Error(`fake github api: #${number} is used twice`);
    taken.add(number);
  }
  const requests: FakeGithubRequest[] = [];
  const resetAt = Math.floor(Date.now() / 1000) + RATE_LIMIT_WINDOW_SECONDS;
  let served = 0;
  let url = '';

  const user = { login: owner, id: 1, type: 'User' };
  const time = (number: number) => new Date(EPOCH_MS + number * HOUR_MS).toISOString();
  const sha = (text: string) => createHash('sha1').update(text).digest('hex');
  const api = (path: string) => `${url}/repos/${repository}${path}`;

  const pullState = (pull: FakePull) => (pull.merged ? 'closed' : (pull.state ?? 'open'));
  const pullMergedAt = (pull: FakePull) => (pull.merged ? time(pull.number + 1) : null);

  const issueJson = (issue: FakeIssue) => ({
    ...issueCommon(issue.number, issue.title, issue.body ?? null, issue.state ?? 'open'),
    html_url: `${WEB}/${repository}/issues/${issue.number}`,
    labels: (issue.labels ?? []).map((name) => ({
      id: Number.parseInt(sha(name).slice(0, 8), 16),
      node_id: `LA_${sha(name).slice(0, 16)}`,
      url: api(`/labels/${encodeURIComponent(name)}`),
      name,
      color: 'ededed',
      default: false,
      description: null,
    })),
  });

  const pullAsIssueJson = (pull: FakePull) => ({
    ...issueCommon(pull.number, pull.title ?? `Pull request ${pull.number}`, pull.body ?? null, pullState(pull)),
    html_url: `${WEB}/${repository}/pull/${pull.number}`,
    labels: [],
    draft: false,
    pull_request: {
      url: api(`/pulls/${pull.number}`),
      html_url: `${WEB}/${repository}/pull/${pull.number}`,
      diff_url: `${WEB}/${repository}/pull/${pull.number}.diff`,
      patch_url: `${WEB}/${repository}/pull/${pull.number}.patch`,
      merged_at: pullMergedAt(pull),
    },
  });

  const issueCommon = (number: number, title: string, body: string | null, state: 'open' | 'closed') => ({
    url: api(`/issues/${number}`),
    repository_url: `${url}/repos/${repository}`,
    labels_url: api(`/issues/${number}/labels{/name}`),
    comments_url: api(`/issues/${number}/comments`),
    events_url: api(`/issues/${number}/events`),
    id: number * 1000,
    node_id: `I_${sha(`issue-${number}`).slice(0, 16)}`,
    number,
    title,
    user,
    state,
    state_reason: state === 'closed' ? 'completed' : null,
    locked: false,
    assignee: null,
    assignees: [],
    milestone: null,
    comments: 0,
    created_at: time(number),
    updated_at: time(number),
    closed_at: state === 'closed' ? time(number + 1) : null,
    author_association: 'OWNER',
    body,
  });

  const branch = (ref: string) => ({ label: `${owner}:${ref}`, ref, sha: sha(ref), user, repo: null });

  const pullJson = (pull: FakePull) => ({
    url: api(`/pulls/${pull.number}`),
    id: pull.number * 1000 + 1,
    node_id: `PR_${sha(`pull-${pull.number}`).slice(0, 16)}`,
    html_url: `${WEB}/${repository}/pull/${pull.number}`,
    diff_url: `${WEB}/${repository}/pull/${pull.number}.diff`,
    patch_url: `${WEB}/${repository}/pull/${pull.number}.patch`,
    issue_url: api(`/issues/${pull.number}`),
    number: pull.number,
    state: pullState(pull),
    locked: false,
    title: pull.title ?? `Pull request ${pull.number}`,
    user,
    body: pull.body ?? null,
    created_at: time(pull.number),
    updated_at: time(pull.number),
    closed_at: pullState(pull) === 'closed' ? time(pull.number + 1) : null,
    merged_at: pullMergedAt(pull),
    merge_commit_sha: pull.merged ? sha(`merge-${pull.number}`) : null,
    assignee: null,
    assignees: [],
    requested_reviewers: [],
    labels: [],
    draft: false,
    head: branch(pull.head),
    base: branch(pull.base ?? 'main'),
    author_association: 'OWNER',
  });

  const listing = (resource: 'issues' | 'pulls', query: URLSearchParams): Reply => {
    const state = query.get('state') ?? 'open';
    if (!(STATES as readonly string[]).includes(state)) {
      return reply(HTTP_UNPROCESSABLE, { message: 'Validation Failed', errors: [{ resource, field: 'state', code: 'invalid' }], documentation_url: DOCS, status: '422' });
    }
    const items =
      resource === 'issues'
        ? [
            ...options.issues.map((issue) => ({ number: issue.number, state: issue.state ?? 'open', json: () => issueJson(issue) })),
            ...pulls.map((pull) => ({ number: pull.number, state: pullState(pull), json: () => pullAsIssueJson(pull) })),
          ]
        : pulls.map((pull) => ({ number: pull.number, state: pullState(pull), json: () => pullJson(pull) }));
    const matching = items.filter((item) => state === 'all' || item.state === state).sort((a, b) => b.number - a.number);

    const asked = Number.parseInt(query.get('per_page') ?? '', 10);
    const size = Math.min(Number.isInteger(asked) && asked > 0 ? asked : DEFAULT_PER_PAGE, MAX_PER_PAGE, options.perPage ?? MAX_PER_PAGE);
    const askedPage = Number.parseInt(query.get('page') ?? '', 10);
    const page = Number.isInteger(askedPage) && askedPage > 0 ? askedPage : 1;
    const last = Math.max(1, Math.ceil(matching.length / size));

    const pageUrl = (n: number) => {
      const params = new URLSearchParams(query);
      params.set('page', String(n));
      return `${url}/repositories/${REPOSITORY_ID}/${resource}?${params}`;
    };
    const links: string[] = [];
    if (page > 1) links.push(`<${pageUrl(Math.min(page - 1, last))}>; rel="prev"`);
    if (page < last) links.push(`<${pageUrl(page + 1)}>; rel="next"`, `<${pageUrl(last)}>; rel="last"`);
    if (page > 1) links.push(`<${pageUrl(1)}>; rel="first"`);

    const body = matching.slice((page - 1) * size, page * size).map((item) => item.json());
    return { ...reply(HTTP_OK, body), headers: links.length > 0 ? { link: links.join(', ') } : {} };
  };

  const validation = (message: string, errors: unknown[]) => reply(HTTP_UNPROCESSABLE, { message, errors, documentation_url: DOCS, status: '422' });
  const notFound = () => reply(HTTP_NOT_FOUND, { message: 'Not Found', documentation_url: DOCS, status: '404' });

  const createPull = async (body: Record<string, unknown>): Promise<Reply> => {
    const head = typeof body.head === 'string' ? body.head : '';
    const base = typeof body.base === 'string' ? body.base : '';
    const title = typeof body.title === 'string' ? body.title : '';
    if (!head || !base || !title) return validation('Validation Failed', [{ resource: 'PullRequest', field: !head ? 'head' : !base ? 'base' : 'title', code: 'missing_field' }]);
    if (pulls.some((pull) => pull.head === head && pullState(pull) === 'open')) {
      return validation('Validation Failed', [{ resource: 'PullRequest', code: 'custom', message: `A pull request already exists for ${owner}:${head}.` }]);
    }
    if (options.remote && !(await gitOk(options.remote, ['rev-parse', '--verify', '--quiet', `refs/heads/${head}`]))) {
      return validation('Validation Failed', [{ resource: 'PullRequest', field: 'head', code: 'invalid' }]);
    }
    const number = Math.max(0, ...taken) + 1;
    taken.add(number);
    const pull: FakePull = { number, head, base, title, body: typeof body.body === 'string' ? body.body : null, state: 'open' };
    pulls.push(pull);
    return reply(HTTP_CREATED, pullJson(pull));
  };

  const mergePull = async (pull: FakePull, body: Record<string, unknown>): Promise<Reply> => {
    if (pullState(pull) !== 'open') return reply(HTTP_NOT_ALLOWED, { message: 'Pull Request is not open', documentation_url: DOCS, status: '405' });
    let mergeSha = sha(`merge-${pull.number}`);
    if (options.remote) {
      const made = await mergeInBare(options.remote, pull.base ?? 'main', pull.head, typeof body.commit_title === 'string' ? body.commit_title : `Merge pull request #${pull.number}`);
      if (!made) return reply(HTTP_NOT_ALLOWED, { message: 'Pull Request is not mergeable', documentation_url: DOCS, status: '405' });
      mergeSha = made;
    }
    pull.merged = true;
    return reply(HTTP_OK, { sha: mergeSha, merged: true, message: 'Pull Request successfully merged' });
  };

  const route = async (method: string, path: string, query: URLSearchParams, body: Record<string, unknown>): Promise<Reply> => {
    const one = /^\/repos\/([^/]+\/[^/]+)\/pulls(?:\/(\d+)(\/merge)?)?$/.exec(path);
    if (one && one[1]!.toLowerCase() === repository.toLowerCase() && (method !== 'GET' || one[2])) {
      if (!one[2]) return method === 'POST' ? createPull(body) : notFound();
      const pull = pulls.find((candidate) => candidate.number === Number(one[2]));
      if (!pull) return notFound();
      if (one[3]) return method === 'PUT' ? mergePull(pull, body) : notFound();
      return method === 'GET' ? reply(HTTP_OK, pullJson(pull)) : notFound();
    }
    const match = /^\/(?:repos\/([^/]+\/[^/]+)|repositories\/(\d+))\/(issues|pulls)$/.exec(path);
    const sameRepository = match?.[1] ? match[1].toLowerCase() === repository.toLowerCase() : match?.[2] === String(REPOSITORY_ID);
    if (method !== 'GET' || !match || !sameRepository) return reply(HTTP_NOT_FOUND, { message: 'Not Found', documentation_url: DOCS, status: '404' });
    return listing(match[3] === 'issues' ? 'issues' : 'pulls', query);
  };

  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => void answer(request, response, Buffer.concat(chunks).toString('utf8')));
  });

  const answer = async (request: http.IncomingMessage, response: http.ServerResponse, text: string) => {
    const method = request.method ?? 'GET';
    const parsed = new URL(request.url ?? '/', 'http://fake');
    const authorized = options.token === undefined || authorizationMatches(request.headers.authorization, options.token);
    requests.push({ method, path: parsed.pathname, query: Object.fromEntries(parsed.searchParams), authorized });
    served += 1;
    const limit = options.rateLimit ?? RATE_LIMIT;
    const remaining = Math.max(0, limit - served);
    let body: Record<string, unknown>;
    try {
      body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    } catch {
      // GitHub answers a body that is not JSON with 400; no client here sends one.
      body = {};
    }
    const result = !authorized
      ? reply(HTTP_UNAUTHORIZED, { message: 'Bad credentials', documentation_url: DOCS, status: '401' })
      : served > limit
        ? reply(HTTP_FORBIDDEN, {
            message: 'API rate limit exceeded for user ID 1.',
            documentation_url: `${DOCS}/overview/rate-limits-for-the-rest-api`,
            status: '403',
          })
        : await route(method, parsed.pathname, parsed.searchParams, body);
    response.writeHead(result.status, {
      'content-type': 'application/json; charset=utf-8',
      'x-github-api-version-selected': '2022-11-28',
      'x-github-request-id': `FAKE:${served}`,
      'x-ratelimit-limit': String(limit),
      'x-ratelimit-remaining': String(remaining),
      'x-ratelimit-used': String(Math.min(served, limit)),
      'x-ratelimit-reset': String(resetAt),
      'x-ratelimit-resource': 'core',
      ...result.headers,
    });
    response.end(JSON.stringify(result.body));
  };
  url = await listenOnLoopback(server);

  return {
    url,
    requests,
    pulls,
    close: () => closeLoopback(server),
  };
}

interface Reply {
  status: number;
  body: unknown;
  headers: Record<string, string>;
}

function reply(status: number, body: unknown): Reply {
  return { status, body, headers: {} };
}

/** GitHub takes both `token X` and `Bearer X`, with the scheme in any case. */
function authorizationMatches(header: string | undefined, token: string): boolean {
  const match = /^(?:token|bearer)\s+(.+)$/i.exec(header ?? '');
  return match?.[1] === token;
}

const execFileAsync = promisify(execFile);

async function gitOk(cwd: string, args: string[]): Promise<boolean> {
  try {
    await execFileAsync('git', args, { cwd });
    return true;
  } catch {
    return false;
  }
}

/** Merges head into base inside the bare repository, as GitHub's merge button does; null on a conflict. */
async function mergeInBare(bare: string, base: string, head: string, title: string): Promise<string | null> {
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'khala-fake-merge-'));
  const env = { ...process.env, GIT_AUTHOR_NAME: 'GitHub', GIT_AUTHOR_EMAIL: 'noreply@github.com', GIT_COMMITTER_NAME: 'GitHub', GIT_COMMITTER_EMAIL: 'noreply@github.com' };
  const run = (args: string[]) => execFileAsync('git', args, { cwd: scratch, env });
  try {
    await run(['clone', '--quiet', '--branch', base, bare, '.']);
    await run(['fetch', '--quiet', 'origin', `refs/heads/${head}`]);
    try {
      await run(['merge', '--no-ff', '-m', title, 'FETCH_HEAD']);
    } catch {
      return null;
    }
    await run(['push', '--quiet', 'origin', `HEAD:refs/heads/${base}`]);
    return (await run(['rev-parse', 'HEAD'])).stdout.trim();
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
