import type { ITerminalOptions, ITheme } from '@xterm/xterm';

/** Panes stay dark in both app themes: transcripts are written for a dark terminal. */
export const PANE_BACKGROUND = '#0d1117';

const paneTheme: ITheme = {
  background: PANE_BACKGROUND,
  foreground: '#c9d1d9',
  cursor: '#c9d1d9',
  cursorAccent: PANE_BACKGROUND,
  selectionBackground: '#264f78',
  black: '#484f58',
  red: '#ff7b72',
  green: '#3fb950',
  yellow: '#d29922',
  blue: '#58a6ff',
  magenta: '#bc8cff',
  cyan: '#39c5cf',
  white: '#b1bac4',
  brightBlack: '#6e7681',
  brightRed: '#ffa198',
  brightGreen: '#56d364',
  brightYellow: '#e3b341',
  brightBlue: '#79c0ff',
  brightMagenta: '#d2a8ff',
  brightCyan: '#56d4dd',
  brightWhite: '#f0f6fc',
};

/** Lines kept in the pane itself; the core replays the rest on reattach. */
const PANE_SCROLLBACK_LINES = 10_000;
const PANE_FONT_SIZE_PX = 12;

const paneLook: ITerminalOptions = {
  scrollback: PANE_SCROLLBACK_LINES,
  fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace',
  fontSize: PANE_FONT_SIZE_PX,
  theme: paneTheme,
};

/** A worker's transcript: read-only, and written with bare newlines. */
export const paneTerminalOptions: ITerminalOptions = {
  ...paneLook,
  convertEol: true,
  disableStdin: true,
  cursorBlink: false,
};

/** An interactive shell: keystrokes go to its pty, which writes its own carriage returns. */
export const shellTerminalOptions: ITerminalOptions = {
  ...paneLook,
  cursorBlink: true,
};
