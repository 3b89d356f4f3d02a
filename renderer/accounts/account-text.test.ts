import { describe, expect, it } from 'vitest';
import type { Account, Login } from '../../shared/accounts';
import { buildAccount, buildLogin } from '../data/builders';
import { cooldownLeftText, countReady, isCooling, loginStatusText, usageText } from './account-text';

const login = (state: Login['state']) => buildLogin(state);

describe('loginStatusText', () => {
  it('says what the owner has to do while the login waits', () => {
    expect(loginStatusText(login('waiting_for_approval'), null)).toBe(
      'Waiting for you to approve the code in your browser',
    );
    expect(loginStatusText(login('waiting_for_code'), null)).toBe('Paste the code the browser shows');
  });

  it('names the connected account, with its identity once known', () => {
    expect(loginStatusText(login('approved'), null)).toBe('Connected codex-2');
    expect(loginStatusText(login('approved'), 'me@example.com')).toBe('Connected codex-2 as me@example.com');
  });
});

describe('countReady', () => {
  it('counts logged-in accounts the owner has not paused and that are not cooling down', () => {
    const now = Date.parse('2026-12-02T08:00:00Z');
    const base = { readiness: 'ready', paused: false, cooldownUntil: null } as Account;
    const cooling = { ...base, cooldownUntil: '2026-12-02T08:05:00Z' };
    const cooled = { ...base, cooldownUntil: '2026-12-02T07:55:00Z' };
    const accounts = [base, { ...base, paused: true }, { ...base, readiness: 'not_logged_in' } as Account, cooling, cooled];
    expect(countReady(accounts, now)).toBe(2);
    expect(countReady(accounts, Date.parse('2026-12-02T08:06:00Z'))).toBe(3);
  });
});

describe('cooldown and meters', () => {
  const now = Date.parse('2026-12-02T08:00:00Z');

  it('counts a cooldown down to its end, and a past one is no cooldown', () => {
    const cooling = { ...buildAccount('claude-a', 'claude', '2026-01-01T00:00:00Z'), cooldownUntil: '2026-12-02T09:29:05Z' };
    expect(isCooling(cooling, now)).toBe(true);
    expect(cooldownLeftText(cooling.cooldownUntil, now)).toBe('1:29:05 left');
    expect(isCooling(cooling, Date.parse('2026-12-02T09:29:05Z'))).toBe(false);
  });

  it('says meters in exact counts, never as a percentage', () => {
    expect(usageText({ tokens: 12345, turns: 3 })).toBe('12,345 tokens in 3 turns');
    expect(usageText({ tokens: 0, turns: 1 })).toBe('0 tokens in 1 turn');
  });
});
