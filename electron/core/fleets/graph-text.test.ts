import { describe, expect, it } from 'vitest';
import { fleetAscii, fleetMermaid, type GraphWorker } from './graph-text';
import { kahnLayers } from './layers';

const diamond: GraphWorker[] = [
  { id: 'research-a', dependsOn: [] },
  { id: 'research-b', dependsOn: [] },
  { id: 'writer', dependsOn: ['research-b', 'research-a'] },
  { id: 'reviewer', dependsOn: ['writer'] },
  { id: 'editor', dependsOn: ['research-a'] },
];

function layersOf(workers: GraphWorker[]): string[][] {
  const result = kahnLayers(workers);
  if (!result.ok) throw new Error('unexpected cycle');
  return result.layers;
}

describe('fleetAscii', () => {
  it('draws a diamond layer by layer, then its edges', () => {
    expect(fleetAscii(layersOf(diamond), diamond)).toBe(
      [
        'L0  research-a  research-b',
        'L1  editor  writer',
        'L2  reviewer',
        '',
        'research-a -> editor',
        'research-a -> writer',
        'research-b -> writer',
        'writer -> reviewer',
        '',
      ].join('\n'),
    );
  });

  it('marks each worker with its state when states are given', () => {
    const withStates: GraphWorker[] = [
      { id: 'a', dependsOn: [], state: 'succeeded' },
      { id: 'b', dependsOn: [], state: 'failed' },
      { id: 'c', dependsOn: ['a', 'b'], state: 'blocked' },
    ];
    expect(fleetAscii(layersOf(withStates), withStates)).toBe(
      ['L0  a [succeeded]  b [failed]', 'L1  c [blocked]', '', 'a -> c', 'b -> c', ''].join('\n'),
    );
  });

  it('a single worker has no edge section', () => {
    expect(fleetAscii([['solo']], [{ id: 'solo', dependsOn: [] }])).toBe('L0  solo\n');
  });
});

describe('fleetMermaid', () => {
  it('writes one node per worker and one edge per dependency for a diamond', () => {
    expect(fleetMermaid(diamond)).toBe(
      [
        'graph TD',
        '  w0["research-a"]',
        '  w1["research-b"]',
        '  w2["writer"]',
        '  w3["reviewer"]',
        '  w4["editor"]',
        '  w0 --> w2',
        '  w1 --> w2',
        '  w2 --> w3',
        '  w0 --> w4',
        '',
      ].join('\n'),
    );
  });

  it('gives each state a class, so exported graphs keep the colours', () => {
    const text = fleetMermaid([
      { id: 'a', dependsOn: [], state: 'succeeded' },
      { id: 'b', dependsOn: [], state: 'running' },
      { id: 'c', dependsOn: ['a', 'b'], state: 'waiting' },
      { id: 'd', dependsOn: [], state: 'succeeded' },
    ]);
    expect(text).toContain('  w0["a (succeeded)"]');
    expect(text).toContain('  classDef succeeded fill:#dcfce7,stroke:#16a34a\n  class w0,w3 succeeded');
    expect(text).toContain('  class w1 running');
    expect(text).toContain('  class w2 waiting');
  });

  it('escapes ids so none of 4 hostile ids can break out of its label', () => {
    const hostile = ['a"]-->x', 'b;click w0 call alert()', 'c<br>`%%', 'd\nend'];
    const text = fleetMermaid(hostile.map((id, index) => ({ id, dependsOn: index === 0 ? [] : [hostile[0] ?? ''] })));
    const lines = text.trimEnd().split('\n');
    // Header, four nodes, three edges: nothing an id held became a line of its own.
    expect(lines).toHaveLength(8);
    for (const line of lines.slice(1, 5)) expect(line).toMatch(/^ {2}w\d\["[A-Za-z0-9 ._()#;-]*"\]$/);
    expect(lines[1]).toBe('  w0["a#34;#93;--#62;x"]');
    expect(lines.slice(5)).toEqual(['  w0 --> w1', '  w0 --> w2', '  w0 --> w3']);
  });
});
