import { Octokit } from '@octokit/rest';
import { FleetError } from '../../../shared/errors';
import type { PullRequest } from '../../../shared/review';
import { githubToken } from '../sources/github-source';

const DEFAULT_API_BASE_URL = 'https://api.github.com';
/** As the GitHub work source: a hung connection must not hold a merge wave forever. */
const REQUEST_TIMEOUT_MS = 30_000;
const API_VERSION = '2022-11-28';
const USER_AGENT = 'khala-fleet-board';
const SILENT_LOG = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
/** GitHub's answer to a merge of a pull request that cannot be merged (a conflict, a failing required check). */
const HTTP_NOT_MERGEABLE = 405;
const HTTP_UNPROCESSABLE = 422;
/** `git@github.com:owner/name.git`, `https://github.com/owner/name(.git)`, `ssh://git@github.com/owner/name`. */
const GITHUB_REMOTE = /github\.com[:/]([\w.-]+)\/([\w.-]+?)(?:\.git)?\/?$/i;

/** Which GitHub repository a pull request is opened on, and through which API. */
export interface GithubTarget {
  repository: string;
  /** '' for api.github.com. */
  apiBaseUrl: string;
}

/** The GitHub repository a remote URL points at, or null when it is not on github.com. */
export function githubTargetOfRemote(url: string): GithubTarget | null {
  const match = GITHUB_REMOTE.exec(url.trim());
  return match ? { repository: `${match[1]}/${match[2]}`, apiBaseUrl: '' } : null;
}

export interface GithubPulls {
  create(input: { head: string; base: string; title: string; body: string }): Promise<PullRequest>;
  get(number: number): Promise<PullRequest>;
  /** Merges through GitHub's merge API; a pull request that cannot be merged is `merge_conflict`. */
  merge(number: number, title: string): Promise<{ sha: string }>;
}

interface PullLike {
  number: number;
  html_url: string;
  state: string;
  merged_at?: string | null;
  merged?: boolean;
}

function pullOf(pull: PullLike): PullRequest {
  const merged = Boolean(pull.merged_at) || pull.merged === true;
  return { number: pull.number, url: pull.html_url, state: merged ? 'merged' : pull.state === 'open' ? 'open' : 'closed' };
}

/** Pull requests of one repository through Octokit, the client the GitHub work source uses. */
export function githubPulls(target: GithubTarget, token: string | null = githubToken(process.env, undefined, target.apiBaseUrl)): GithubPulls {
  const [owner = '', repo = ''] = target.repository.split('/');
  const baseUrl = target.apiBaseUrl || DEFAULT_API_BASE_URL;
  const octokit = new Octokit({
    auth: token ?? undefined,
    baseUrl,
    userAgent: USER_AGENT,
    headers: { 'x-github-api-version': API_VERSION },
    log: SILENT_LOG,
    request: { fetch: (url: string, init: RequestInit) => fetch(url, { ...init, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) }) },
  });
  const failed = (doing: string, error: unknown): FleetError => {
    const status = statusOf(error);
    const detail = serverMessage(error, token);
    return new FleetError('github_failed', `GitHub at ${baseUrl} refused to ${doing} on ${target.repository}${status ? ` (${status})` : ''}: ${detail}`);
  };
  return {
    async create({ head, base, title, body }) {
      try {
        const { data } = await octokit.rest.pulls.create({ owner, repo, head, base, title, body });
        return pullOf(data);
      } catch (error) {
        // Asked twice (a retry after a lost answer): the open pull request of this branch is the one.
        if (statusOf(error) === HTTP_UNPROCESSABLE && /already exists/i.test(serverMessage(error, token))) {
          const { data } = await octokit.rest.pulls.list({ owner, repo, head: `${owner}:${head}`, state: 'open' }).catch((again: unknown) => {
            throw failed('find the open pull request', again);
          });
          if (data[0]) return pullOf(data[0]);
        }
        throw failed(`open a pull request for ${head}`, error);
      }
    },
    async get(number) {
      try {
        return pullOf((await octokit.rest.pulls.get({ owner, repo, pull_number: number })).data);
      } catch (error) {
        throw failed(`read pull request #${number}`, error);
      }
    },
    async merge(number, title) {
      try {
        const { data } = await octokit.rest.pulls.merge({ owner, repo, pull_number: number, merge_method: 'merge', commit_title: title });
        return { sha: data.sha };
      } catch (error) {
        if (statusOf(error) === HTTP_NOT_MERGEABLE) {
          throw new FleetError('merge_conflict', `GitHub cannot merge pull request #${number}: ${serverMessage(error, token)}`);
        }
        throw failed(`merge pull request #${number}`, error);
      }
    },
  };
}

function statusOf(error: unknown): number {
  return typeof error === 'object' && error !== null && 'status' in error ? Number(error.status) : 0;
}

/** The server's own message, never echoing the token. */
function serverMessage(error: unknown, token: string | null): string {
  const response = typeof error === 'object' && error !== null && 'response' in error ? (error.response as { data?: unknown } | undefined) : undefined;
  const data = response?.data;
  const text =
    typeof data === 'object' && data !== null && 'message' in data && typeof data.message === 'string'
      ? [data.message, ...errorsOf(data)].join(': ')
      : error instanceof Error
        ? error.message
        : String(error);
  return token ? text.split(token).join('[redacted]') : text;
}

function errorsOf(data: object): string[] {
  if (!('errors' in data) || !Array.isArray(data.errors)) return [];
  return data.errors.map((entry: unknown) => (typeof entry === 'object' && entry !== null && 'message' in entry ? String(entry.message) : '')).filter(Boolean);
}
