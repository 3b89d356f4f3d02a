/**
 * xterm and its addons, loaded on demand: about a fifth of the renderer's code that the first
 * screen (the board) never needs. Loaded once; every pane after the first gets the same modules.
 */
export interface XtermModules {
  Terminal: typeof import('@xterm/xterm').Terminal;
  FitAddon: typeof import('@xterm/addon-fit').FitAddon;
  SearchAddon: typeof import('@xterm/addon-search').SearchAddon;
}

let modules: Promise<XtermModules> | null = null;
let loaded: XtermModules | null = null;

/** The modules once they have loaded, so a pane can open its terminal in the same commit as before; else null. */
export function loadedXterm(): XtermModules | null {
  return loaded;
}

export function loadXterm(): Promise<XtermModules> {
  if (!modules) {
    modules = Promise.all([import('@xterm/xterm'), import('@xterm/addon-fit'), import('@xterm/addon-search')]).then(
      ([{ Terminal }, { FitAddon }, { SearchAddon }]) => (loaded = { Terminal, FitAddon, SearchAddon }),
    );
    // A failed load (a lost host mid-fetch) is tried again by the next pane.
    modules.catch(() => {
      modules = null;
    });
  }
  return modules;
}
