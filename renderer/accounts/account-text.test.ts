import { describe, expect, it } from 'vitest';
import type { Account, Login } from '../../shared/accounts';
import { buildLogin } from '../data/builders';
import { countReady, loginStatusText } from './account-text';

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
  it('counts logged-in accounts the owner has not paused', () => {
    const base = { readiness: 'ready', paused: false } as Account;
    const accounts = [base, { ...base, paused: true }, { ...base, readiness: 'not_logged_in' } as Account];
    expect(countReady(accounts)).toBe(1);
  });
});
