import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Octokit } from '@octokit/rest';
import { FleetError } from '../../../shared/errors';
import type { WorkSourceConfig } from '../../../shared/runs';
import type { WorkSource, WorkUnitCandidate } from './work-source';

type GithubSourceConfig = Extract<WorkSourceConfig, { kind: 'github' }>;
type LinkedPullRequest = NonNullable<WorkUnitCandidate['pullRequest']>;
type PullRequestState = LinkedPullRequest['state'];

const DEFAULT_API_BASE_URL = 'https://api.github.com';
/** The largest page GitHub serves: fewer round trips against the rate limit. */
const PER_PAGE = 100;
/** One page should take well under a second; this only stops a hung connection from stalling the supervisor. */
const REQUEST_TIMEOUT_MS = 30_000;
/** The REST version the field names below are read from. */
const API_VERSION = '2022-11-28';
const USER_AGENT = 'khala-fleet-board';
/** Failures reach the caller as a FleetError; Octokit's own console lines would only duplicate them. */
const SILENT_LOG = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

/** GitHub's closing keywords, optionally naming the repo: `Fixes #12`, `closes: owner/name#12`. */
const CLOSING_REFERENCE = /\b(?:close[sd]?|fix(?:e[sd])?|resolve[sd]?)\b:?\s+([\w.-]+\/[\w.-]+)?#(\d+)\b/gi;
const FLEET_BRANCH_PREFIX = 'fleet/';
/** Branches a person names after an issue: `issue-12`, `issue/12`, `issues/12-login`. */
const ISSUE_BRANCH = /^issues?[-/]/i;
/** A branch segment that starts with the number: `12`, `12-fix-login`, `issue-12-fix-login`. */
const ISSUE_BRANCH_SEGMENT = /^(?:issues?-)?(\d+)(?:-|$)/i;
/** When several pull requests link one issue, the one that says most about it wins. */
const PULL_REQUEST_PRIORITY: Record<PullRequestState, number> = { merged: 3, open: 2, closed: 1 };

interface PullRequestLike {
  number: number;
  state: string;
  body?: string | null;
  merged_at?: string | null;
  head: { ref: string };
}

/** Every issue of the repository, open and closed, with the pull request that links each, if any. */
export function githubSource(config: GithubSourceConfig, options: { token: string | null }): WorkSource {
  const [owner = '', repo = ''] = config.repository.split('/');
  const baseUrl = config.apiBaseUrl || DEFAULT_API_BASE_URL;
  const octokit = new Octokit({
    auth: options.token ?? undefined,
    baseUrl,
    userAgent: USER_AGENT,
    headers: { 'x-github-api-version': API_VERSION },
    log: SILENT_LOG,
    // Per request, not per listing: Octokit's paginator drops request options after the first page.
    request: { fetch: (url: string, init: RequestInit) => fetch(url, { ...init, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) }) },
  });

  return {
    config,
    async list() {
      const [issues, pulls] = await Promise.all([
        octokit.paginate(octokit.rest.issues.listForRepo, { owner, repo, state: 'all', per_page: PER_PAGE }),
        octokit.paginate(octokit.rest.pulls.list, { owner, repo, state: 'all', per_page: PER_PAGE }),
      ]).catch((error: unknown) => {
        throw unavailable(error, config.repository, baseUrl, options.token);
      });
      const linked = linkPullRequests(pulls, config.repository);
      return issues
        .filter((issue) => !issue.pull_request)
        .sort((a, b) => a.number - b.number)
        .map(
          (issue): WorkUnitCandidate => ({
            key: `github:${config.repository}#${issue.number}`,
            number: issue.number,
            title: issue.title,
            prompt: issuePrompt(issue.number, issue.title, issue.body),
            labels: issue.labels.map((label) => (typeof label === 'string' ? label : (label.name ?? ''))).filter(Boolean),
            state: issue.state === 'closed' ? 'closed' : 'open',
            pullRequest: linked.get(issue.number) ?? null,
            dependsOn: [],
            url: issue.html_url,
          }),
        );
    },
  };
}

/** What the worker reads: the issue's number, title and body, nothing of this machine. */
function issuePrompt(number: number, title: string, body: string | null | undefined): string {
  const text = body?.trim();
  return text ? `#${number} ${title}\n\n${text}` : `#${number} ${title}`;
}

/**
 * Issue number -> the pull request linked to it. A pull request links an issue when its body has
 * a closing keyword for it (`Fixes #12`, `closes owner/name#12`; other repos' issues are ignored)
 * or its head branch starts with `fleet/` or `issue-`/`issue/`/`issues/` and one of the branch's
 * `/`-separated segments after that prefix starts with the number (`fleet/12-login`,
 * `fleet/issue-12`, `issue-12`, `issues/12-login`; not `fleet/run/fix-12-typos`).
 */
function linkPullRequests(pulls: readonly PullRequestLike[], repository: string): Map<number, LinkedPullRequest> {
  const linked = new Map<number, LinkedPullRequest>();
  for (const pull of pulls) {
    const state: PullRequestState = pull.merged_at ? 'merged' : pull.state === 'open' ? 'open' : 'closed';
    for (const issue of linkedIssueNumbers(pull, repository)) {
      const current = linked.get(issue);
      const better =
        !current ||
        PULL_REQUEST_PRIORITY[state] > PULL_REQUEST_PRIORITY[current.state] ||
        (PULL_REQUEST_PRIORITY[state] === PULL_REQUEST_PRIORITY[current.state] && pull.number > current.number);
      if (better) linked.set(issue, { number: pull.number, state });
    }
  }
  return linked;
}

function linkedIssueNumbers(pull: PullRequestLike, repository: string): Set<number> {
  const numbers = new Set<number>();
  for (const match of (pull.body ?? '').matchAll(CLOSING_REFERENCE)) {
    const [, otherRepository, number] = match;
    if (!otherRepository || otherRepository.toLowerCase() === repository.toLowerCase()) numbers.add(Number(number));
  }
  const ref = pull.head.ref;
  // Only branches named after an issue are read, so a number in some other branch's name links nothing.
  const named = ref.toLowerCase().startsWith(FLEET_BRANCH_PREFIX) ? ref.slice(FLEET_BRANCH_PREFIX.length) : ISSUE_BRANCH.test(ref) ? ref : '';
  for (const segment of named.split('/')) {
    const number = ISSUE_BRANCH_SEGMENT.exec(segment)?.[1];
    if (number) numbers.add(Number(number));
  }
  return numbers;
}

/** A GitHub failure as the owner can act on it; the token never appears in it. */
function unavailable(error: unknown, repository: string, baseUrl: string, token: string | null): FleetError {
  const status = typeof error === 'object' && error !== null && 'status' in error ? Number(error.status) : 0;
  const response = typeof error === 'object' && error !== null && 'response' in error ? (error.response as ErrorResponse | undefined) : undefined;
  const raw = response ? serverMessage(response) : error instanceof Error ? error.message : String(error);
  // The server's text is not ours: make sure nothing in it echoes the token back.
  const detail = (token ? raw.split(token).join('[redacted]') : raw).replace(/\.$/, '');
  const signIn = 'set GITHUB_TOKEN (GH_ENTERPRISE_TOKEN for GitHub Enterprise) or sign in with `gh auth login`';
  let message: string;
  if (!response) {
    message = `Could not reach GitHub at ${baseUrl} to list ${repository}: ${detail}.`;
  } else if (status === 429 || (status === 403 && (response.headers['x-ratelimit-remaining'] === '0' || /rate limit/i.test(detail)))) {
    const reset = Number(response.headers['x-ratelimit-reset']);
    const when = Number.isFinite(reset) && reset > 0 ? ` It resets at ${new Date(reset * 1000).toISOString()}.` : '';
    message = `GitHub's rate limit is used up while listing ${repository} (${status}).${when}${token ? '' : ` Unauthenticated requests get a small limit: ${signIn}.`}`;
  } else if (status === 401) {
    message = token
      ? `GitHub rejected the token while listing ${repository} (401 ${detail}): ${signIn}.`
      : `GitHub wants a token to list ${repository} (401 ${detail}): ${signIn}.`;
  } else if (status === 403) {
    message = `GitHub refused access to ${repository} (403 ${detail}): check that the token may read its issues and pull requests.`;
  } else if (status === 404) {
    message = `GitHub at ${baseUrl} has no repository ${repository}, or ${token ? 'the token cannot see it' : `it is private: ${signIn}`} (404).`;
  } else {
    message = `GitHub answered ${status} while listing ${repository}: ${detail}.`;
  }
  return new FleetError('source_unavailable', message);
}

interface ErrorResponse {
  headers: Record<string, string | undefined>;
  data: unknown;
}

function serverMessage(response: ErrorResponse): string {
  const data = response.data;
  if (typeof data === 'object' && data !== null && 'message' in data && typeof data.message === 'string') return data.message;
  return typeof data === 'string' && data ? data : 'no message';
}

/**
 * The token for the GitHub that `apiBaseUrl` ('' = api.github.com) belongs to, found where the
 * `gh` CLI looks: GH_TOKEN then GITHUB_TOKEN for github.com (GH_ENTERPRISE_TOKEN then
 * GITHUB_ENTERPRISE_TOKEN for any other host, so a github.com token is never sent elsewhere), else
 * `oauth_token` for that host in gh's hosts.yml; null when there is none.
 */
export function githubToken(env: NodeJS.ProcessEnv = process.env, ghConfigPath?: string, apiBaseUrl = ''): string | null {
  const host = githubHost(apiBaseUrl);
  const dotCom = host === 'github.com' || host.endsWith('.ghe.com');
  const names = dotCom ? ['GH_TOKEN', 'GITHUB_TOKEN'] : ['GH_ENTERPRISE_TOKEN', 'GITHUB_ENTERPRISE_TOKEN'];
  for (const name of names) {
    const value = env[name]?.trim();
    if (value) return value;
  }
  let hosts: string;
  try {
    hosts = readFileSync(ghConfigPath ?? ghHostsPath(env), 'utf8');
  } catch {
    return null;
  }
  return hostsFileToken(hosts, host);
}

/** The host gh keys its login by: `api.github.com` -> `github.com`, `api.acme.ghe.com` -> `acme.ghe.com`. */
function githubHost(apiBaseUrl: string): string {
  if (!apiBaseUrl) return 'github.com';
  const hostname = new URL(apiBaseUrl).hostname.toLowerCase();
  return hostname === 'api.github.com' || hostname.endsWith('.ghe.com') ? hostname.replace(/^api\./, '') : hostname;
}

/** Where gh keeps hosts.yml: GH_CONFIG_DIR, then XDG_CONFIG_HOME/gh, then %AppData%\GitHub CLI on Windows, then ~/.config/gh. */
function ghHostsPath(env: NodeJS.ProcessEnv): string {
  if (env.GH_CONFIG_DIR) return path.join(env.GH_CONFIG_DIR, 'hosts.yml');
  if (env.XDG_CONFIG_HOME) return path.join(env.XDG_CONFIG_HOME, 'gh', 'hosts.yml');
  if (process.platform === 'win32' && env.AppData) return path.join(env.AppData, 'GitHub CLI', 'hosts.yml');
  return path.join(env.HOME || os.homedir(), '.config', 'gh', 'hosts.yml');
}

/**
 * `oauth_token` from the host's block of gh's hosts.yml, read line by line. The shallowest one is
 * the active account's (gh also lists every account's under `users:`). None when gh keeps the
 * token in the system keyring instead.
 */
function hostsFileToken(text: string, host: string): string | null {
  let inHost = false;
  let best: { indent: number; token: string } | null = null;
  for (const line of text.split(/\r?\n/)) {
    if (!line.trim() || line.trimStart().startsWith('#')) continue;
    const indent = line.length - line.trimStart().length;
    if (indent === 0) {
      const key = line.replace(/:\s*(#.*)?$/, '').replace(/^(["'])(.*)\1$/, '$2');
      inHost = key.toLowerCase() === host;
      continue;
    }
    const value = inHost ? /^\s+oauth_token:\s*(.*?)\s*(?:\s#.*)?$/.exec(line)?.[1] : undefined;
    const token = value?.replace(/^(["'])(.*)\1$/, '$2');
    if (token && (!best || indent < best.indent)) best = { indent, token };
  }
  return best?.token ?? null;
}
