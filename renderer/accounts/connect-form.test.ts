import { describe, expect, it } from 'vitest';
import { initialConnectForm, parseConnectForm } from './connect-form';

describe('parseConnectForm', () => {
  it('starts a codex device login with the ref left to the core', () => {
    expect(parseConnectForm({ ...initialConnectForm, ref: '  ', secret: 'ignored' })).toEqual({
      ok: true,
      input: { provider: 'codex', method: 'device' },
    });
  });

  it('checks a typed ref with the contract rules', () => {
    const parsed = parseConnectForm({ ...initialConnectForm, ref: 'Codex_2' });
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.problems.ref).toMatch(/lower-case letters/);
    expect(parseConnectForm({ ...initialConnectForm, ref: 'default' })).toMatchObject({
      ok: false,
      problems: { ref: expect.stringMatching(/reserved/) },
    });
  });

  it('asks for the secret of a token or API key link', () => {
    expect(parseConnectForm({ ...initialConnectForm, provider: 'claude', claudeMethod: 'api_key', secret: ' ' })).toEqual({
      ok: false,
      problems: { secret: 'Required' },
    });
  });

  it('produces the contract input for a claude token', () => {
    expect(
      parseConnectForm({ provider: 'claude', ref: ' claude-2 ', claudeMethod: 'token', secret: ' sk-ant-oat01-x ' }),
    ).toEqual({ ok: true, input: { provider: 'claude', ref: 'claude-2', method: 'token', secret: 'sk-ant-oat01-x' } });
  });
});
