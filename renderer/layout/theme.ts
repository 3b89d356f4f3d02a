/** What the board shows: the two palettes styles.css defines. */
export type Theme = 'dark' | 'light';
/** What the owner picked: a palette, or whatever the OS says ('system', the default). */
export type ThemeChoice = 'system' | Theme;

export const themeChoices: readonly ThemeChoice[] = ['system', 'dark', 'light'];

export const themeChoiceLabels: Record<ThemeChoice, string> = {
  system: 'Follow the system',
  dark: 'Dark',
  light: 'Light',
};

/** The OS setting as a media query: it matches while the OS asks for a light palette. */
export const PREFERS_LIGHT_QUERY = '(prefers-color-scheme: light)';

export function resolveTheme(choice: ThemeChoice, system: Theme): Theme {
  return choice === 'system' ? system : choice;
}

export function isThemeChoice(value: unknown): value is ThemeChoice {
  return typeof value === 'string' && (themeChoices as readonly string[]).includes(value);
}

/** The OS palette now; dark where there is no window to ask (Vitest), as the board always was. */
export function systemTheme(): Theme {
  if (typeof window === 'undefined' || typeof window.matchMedia !== 'function') return 'dark';
  return window.matchMedia(PREFERS_LIGHT_QUERY).matches ? 'light' : 'dark';
}

/** Calls `onChange` each time the OS palette changes; returns the unsubscribe function. */
export function watchSystemTheme(onChange: (theme: Theme) => void): () => void {
  if (typeof window === 'undefined' || typeof window.matchMedia !== 'function') return () => {};
  const query = window.matchMedia(PREFERS_LIGHT_QUERY);
  const listener = (event: MediaQueryListEvent) => onChange(event.matches ? 'light' : 'dark');
  query.addEventListener('change', listener);
  return () => query.removeEventListener('change', listener);
}

/** The quick toggle (a shortcut, the palette): picks the other palette than the one showing. */
export function otherTheme(showing: Theme): Theme {
  return showing === 'dark' ? 'light' : 'dark';
}
