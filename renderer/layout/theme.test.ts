import { describe, expect, it } from 'vitest';
import { isThemeChoice, otherTheme, resolveTheme, systemTheme } from './theme';

describe('theme', () => {
  it('follows the system until a palette is picked', () => {
    expect(resolveTheme('system', 'light')).toBe('light');
    expect(resolveTheme('system', 'dark')).toBe('dark');
    expect(resolveTheme('dark', 'light')).toBe('dark');
    expect(resolveTheme('light', 'dark')).toBe('light');
  });

  it('knows its three choices and nothing else', () => {
    expect(['system', 'dark', 'light'].every(isThemeChoice)).toBe(true);
    expect(isThemeChoice('sepia')).toBe(false);
    expect(isThemeChoice(undefined)).toBe(false);
  });

  it('toggles to the palette that is not showing', () => {
    expect(otherTheme('dark')).toBe('light');
    expect(otherTheme('light')).toBe('dark');
  });

  it('is dark where there is no window to ask', () => {
    expect(systemTheme()).toBe('dark');
  });
});
