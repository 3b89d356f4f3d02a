import { afterEach, describe, expect, it } from 'vitest';
import { startFakeGithubApi, type FakeGithubApi } from './fake-github-api';

const REPOSITORY = 'acme/widgets';

describe('fake GitHub API', () => {
  let api: FakeGithubApi | undefined;
  afterEach(async () => {
    await api?.close();
    api = undefined;
  });

  const get = async (path: string, headers: Record<string, string> = {}) => {
    const response = await fetch(`${api?.url}${path}`, { headers });
    return { status: response.status, link: response.headers.get('link'), body: (await response.json()) as Record<string, unknown>[] & Record<string, unknown> };
  };

  it("pages the way GitHub does: per_page, then a Link header of prev, next, last, first", async () => {
    api = await startFakeGithubApi({
      repository: REPOSITORY,
      issues: Array.from({ length: 7 }, (_, index) => ({ number: index + 1, title: `Issue ${index + 1}` })),
    });
    const base = `${api.url}/repositories/1296269/issues`;

    const first = await get(`/repos/${REPOSITORY}/issues?state=all&per_page=3`);
    expect(first.body.map((issue) => issue.number)).toEqual([7, 6, 5]);
    expect(first.link).toBe(`<${base}?state=all&per_page=3&page=2>; rel="next", <${base}?state=all&per_page=3&page=3>; rel="last"`);

    const middle = await get(`/repositories/1296269/issues?state=all&per_page=3&page=2`);
    expect(middle.body.map((issue) => issue.number)).toEqual([4, 3, 2]);
    expect(middle.link).toBe(
      `<${base}?state=all&per_page=3&page=1>; rel="prev", <${base}?state=all&per_page=3&page=3>; rel="next", ` +
        `<${base}?state=all&per_page=3&page=3>; rel="last", <${base}?state=all&per_page=3&page=1>; rel="first"`,
    );

    const last = await get(`/repositories/1296269/issues?state=all&per_page=3&page=3`);
    expect(last.body.map((issue) => issue.number)).toEqual([1]);
    expect(last.link).toBe(`<${base}?state=all&per_page=3&page=2>; rel="prev", <${base}?state=all&per_page=3&page=1>; rel="first"`);

    const whole = await get(`/repos/${REPOSITORY}/issues`);
    expect(whole.body).toHaveLength(7);
    expect(whole.link).toBeNull();
  });

  it('caps pages at perPage, filters by state, and lists pull requests among the issues', async () => {
    api = await startFakeGithubApi({
      repository: REPOSITORY,
      issues: [
        { number: 1, title: 'Open', labels: ['bug'] },
        { number: 2, title: 'Closed', state: 'closed' },
      ],
      pulls: [{ number: 3, head: 'fleet/1-fix', body: 'Fixes #1', merged: true }],
      perPage: 2,
    });
    const open = await get(`/repos/${REPOSITORY}/issues?per_page=100`);
    expect(open.body.map((issue) => issue.number)).toEqual([1]);
    expect(open.body[0]).toMatchObject({ state: 'open', labels: [{ name: 'bug' }], html_url: `https://github.com/${REPOSITORY}/issues/1` });
    expect(open.body[0]).not.toHaveProperty('pull_request');

    const all = await get(`/repos/${REPOSITORY}/issues?state=all&per_page=100`);
    expect(all.body.map((issue) => issue.number)).toEqual([3, 2]);
    expect(all.body[0]).toMatchObject({ state: 'closed', pull_request: { merged_at: expect.any(String) } });
    expect(all.link).toContain('rel="next"');

    const pulls = await get(`/repos/${REPOSITORY}/pulls?state=closed`);
    expect(pulls.body).toEqual([expect.objectContaining({ number: 3, state: 'closed', head: expect.objectContaining({ ref: 'fleet/1-fix' }), merged_at: expect.any(String) })]);
    expect((await get(`/repos/${REPOSITORY}/pulls`)).body).toEqual([]);
    expect((await get(`/repos/${REPOSITORY}/issues?state=merged`)).status).toBe(422);
  });

  it('wants the configured token, and knows only its own repository', async () => {
    api = await startFakeGithubApi({ repository: REPOSITORY, issues: [{ number: 1, title: 'One' }], token: 'secret' });
    expect(await get(`/repos/${REPOSITORY}/issues`)).toMatchObject({ status: 401, body: { message: 'Bad credentials' } });
    expect((await get(`/repos/${REPOSITORY}/issues`, { authorization: 'token nope' })).status).toBe(401);
    expect((await get(`/repos/${REPOSITORY}/issues`, { authorization: 'token secret' })).status).toBe(200);
    expect((await get(`/repos/${REPOSITORY}/issues`, { authorization: 'Bearer secret' })).status).toBe(200);
    expect(await get('/repos/acme/other/issues', { authorization: 'token secret' })).toMatchObject({ status: 404, body: { message: 'Not Found' } });
    expect(api.requests.map((request) => request.authorized)).toEqual([false, false, true, true, true]);
  });
});
