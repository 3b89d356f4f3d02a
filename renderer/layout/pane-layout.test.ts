import { describe, expect, it } from 'vitest';
import { clampShare, closePane, focusPane, keepPanesOf, MAX_OPEN_PANES, MIN_SHARE, noPanes, openPane, openPaneBeside, toggleMaximised, type PaneLayout } from './pane-layout';

const two: PaneLayout = { openPanes: ['a', 'b'], focusedPane: 'b', maximised: false };

describe('opening a pane', () => {
  it('opens the first pane and focuses it', () => {
    expect(openPane(noPanes, 'a')).toEqual({ openPanes: ['a'], focusedPane: 'a', maximised: false });
  });

  it('shows the next worker in the focused pane, not a new one', () => {
    expect(openPane({ openPanes: ['a'], focusedPane: 'a', maximised: false }, 'b')).toEqual({ openPanes: ['b'], focusedPane: 'b', maximised: false });
    expect(openPane({ ...two, focusedPane: 'a' }, 'c')).toEqual({ openPanes: ['c', 'b'], focusedPane: 'c', maximised: false });
  });

  it('only focuses a worker that is open already', () => {
    expect(openPane(two, 'a')).toEqual({ ...two, focusedPane: 'a' });
    expect(openPaneBeside(two, 'a')).toEqual({ ...two, focusedPane: 'a' });
  });

  it('keeps a maximised layout maximised', () => {
    expect(openPane({ ...two, maximised: true }, 'c').maximised).toBe(true);
  });
});

describe('opening a pane beside', () => {
  it('adds a second pane on the right and focuses it', () => {
    expect(openPaneBeside({ openPanes: ['a'], focusedPane: 'a', maximised: false }, 'b')).toEqual(two);
  });

  it('never opens more than two: the pane that is not focused gives way', () => {
    expect(openPaneBeside(two, 'c')).toEqual({ openPanes: ['c', 'b'], focusedPane: 'c', maximised: false });
    expect(openPaneBeside({ ...two, focusedPane: 'a' }, 'c')).toEqual({ openPanes: ['a', 'c'], focusedPane: 'c', maximised: false });
    let layout = noPanes;
    for (const id of ['a', 'b', 'c', 'd', 'e']) layout = openPaneBeside(layout, id);
    expect(layout.openPanes).toHaveLength(MAX_OPEN_PANES);
  });

  it('with no pane open, opens the first', () => {
    expect(openPaneBeside(noPanes, 'a')).toEqual(openPane(noPanes, 'a'));
  });
});

describe('closing and focusing', () => {
  it('moves the focus to the pane left open', () => {
    expect(closePane(two, 'b')).toEqual({ openPanes: ['a'], focusedPane: 'a', maximised: false });
    expect(closePane(two, 'a')).toEqual({ openPanes: ['b'], focusedPane: 'b', maximised: false });
  });

  it('with the last pane closed, the board comes back whole', () => {
    expect(closePane({ openPanes: ['a'], focusedPane: 'a', maximised: true }, 'a')).toEqual(noPanes);
  });

  it('ignores a worker that is not open', () => {
    expect(closePane(two, 'z')).toEqual(two);
    expect(focusPane(two, 'z')).toBe(two);
    expect(focusPane(two, 'a').focusedPane).toBe('a');
  });

  it('closes the panes of workers that are gone', () => {
    expect(keepPanesOf(two, new Set(['a']))).toEqual({ openPanes: ['a'], focusedPane: 'a', maximised: false });
    expect(keepPanesOf({ ...two, maximised: true }, new Set())).toEqual(noPanes);
    expect(keepPanesOf(two, new Set(['a', 'b']))).toBe(two);
  });
});

describe('maximising', () => {
  it('maximises and restores open panes, and has nothing to maximise without one', () => {
    expect(toggleMaximised(two).maximised).toBe(true);
    expect(toggleMaximised(toggleMaximised(two))).toEqual(two);
    expect(toggleMaximised(noPanes)).toBe(noPanes);
  });
});

describe('shares', () => {
  it('keeps a remembered share inside the limits and refuses what is not a number', () => {
    expect(clampShare(60, 66)).toBe(60);
    expect(clampShare(2, 66)).toBe(MIN_SHARE);
    expect(clampShare(99, 66)).toBe(100 - MIN_SHARE);
    expect(clampShare('60', 66)).toBe(66);
    expect(clampShare(Number.NaN, 66)).toBe(66);
  });
});
