import { createHash } from 'node:crypto';
import http from 'node:http';
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
const HTTP_UNAUTHORIZED = 401;
const HTTP_FORBIDDEN = 403;
const HTTP_NOT_FOUND = 404;
const HTTP_UNPROCESSABLE = 422;

export async function startFakeGithubApi(options: FakeGithubApiOptions): Promise<FakeGithubApi> {
  const repository = options.repository;
  const [owner = ''] = repository.split('/');
  const pulls = options.pulls ?? [];
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
    base: branch('main'),
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

  const route = (method: string, path: string, query: URLSearchParams): Reply => {
    const match = /^\/(?:repos\/([^/]+\/[^/]+)|repositories\/(\d+))\/(issues|pulls)$/.exec(path);
    const sameRepository = match?.[1] ? match[1].toLowerCase() === repository.toLowerCase() : match?.[2] === String(REPOSITORY_ID);
    if (method !== 'GET' || !match || !sameRepository) return reply(HTTP_NOT_FOUND, { message: 'Not Found', documentation_url: DOCS, status: '404' });
    return listing(match[3] === 'issues' ? 'issues' : 'pulls', query);
  };

  const server = http.createServer((request, response) => {
    const method = request.method ?? 'GET';
    const parsed = new URL(request.url ?? '/', 'http://fake');
    const authorized = options.token === undefined || authorizationMatches(request.headers.authorization, options.token);
    requests.push({ method, path: parsed.pathname, query: Object.fromEntries(parsed.searchParams), authorized });
    served += 1;
    const limit = options.rateLimit ?? RATE_LIMIT;
    const remaining = Math.max(0, limit - served);
    const answer = !authorized
      ? reply(HTTP_UNAUTHORIZED, { message: 'Bad credentials', documentation_url: DOCS, status: '401' })
      : served > limit
        ? reply(HTTP_FORBIDDEN, {
            message: 'API rate limit exceeded for user ID 1.',
            documentation_url: `${DOCS}/overview/rate-limits-for-the-rest-api`,
            status: '403',
          })
        : route(method, parsed.pathname, parsed.searchParams);
    response.writeHead(answer.status, {
      'content-type': 'application/json; charset=utf-8',
      'x-github-api-version-selected': '2022-11-28',
      'x-github-request-id': `FAKE:${served}`,
      'x-ratelimit-limit': String(limit),
      'x-ratelimit-remaining': String(remaining),
      'x-ratelimit-used': String(Math.min(served, limit)),
      'x-ratelimit-reset': String(resetAt),
      'x-ratelimit-resource': 'core',
      ...answer.headers,
    });
    response.end(JSON.stringify(answer.body));
  });
  url = await listenOnLoopback(server);

  return {
    url,
    requests,
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
