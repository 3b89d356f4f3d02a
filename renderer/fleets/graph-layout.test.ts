import { describe, expect, it } from 'vitest';
import { layoutFleet, NODE_HEIGHT, NODE_WIDTH } from './graph-layout';

describe('layoutFleet (ELK layered, left to right)', () => {
  it('puts each worker in the column of its Kahn layer, a diamond, a fan-in and a lone worker together', async () => {
    const workers = [
      { id: 'a', dependsOn: [] },
      { id: 'b', dependsOn: ['a'] },
      { id: 'c', dependsOn: ['a'] },
      { id: 'd', dependsOn: ['b', 'c'] },
      { id: 'e', dependsOn: [] },
      { id: 'f', dependsOn: [] },
      { id: 'g', dependsOn: ['e', 'f', 'd'] },
      { id: 'lone', dependsOn: [] },
    ];
    const layers = [['a', 'e', 'f', 'lone'], ['b', 'c'], ['d'], ['g']];
    const positions = await layoutFleet(workers);
    expect(positions.size).toBe(workers.length);
    const column = (id: string) => positions.get(id)!.x;
    for (const layer of layers) for (const id of layer) expect(column(id)).toBe(column(layer[0]!));
    for (let index = 1; index < layers.length; index += 1) {
      expect(column(layers[index]![0]!)).toBeGreaterThanOrEqual(column(layers[index - 1]![0]!) + NODE_WIDTH);
    }
    // No two nodes of one column overlap.
    for (const layer of layers) {
      const ys = layer.map((id) => positions.get(id)!.y).sort((p, q) => p - q);
      for (let index = 1; index < ys.length; index += 1) expect(ys[index]! - ys[index - 1]!).toBeGreaterThanOrEqual(NODE_HEIGHT);
    }
  });

  it('leaves out a dependency on an unknown id instead of failing', async () => {
    const positions = await layoutFleet([{ id: 'a', dependsOn: ['ghost'] }]);
    expect([...positions.keys()]).toEqual(['a']);
  });
});
