import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { kahnLayers, type LayerNode } from './layers';

/** Random DAGs tried by each property. */
const PROPERTY_RUNS = 300;
/** Large enough for wide and deep graphs, small enough that 300 runs stay quick. */
const MAX_RANDOM_WORKERS = 40;

function layersOf(workers: LayerNode[]): string[][] {
  const result = kahnLayers(workers);
  if (!result.ok) throw new Error(`unexpected cycle ${result.cycle.join(',')}`);
  return result.layers;
}

/** Checks that each member depends on the one before it and the first on the last. */
function expectRealCycle(workers: LayerNode[], cycle: string[]): void {
  expect(cycle.length).toBeGreaterThan(0);
  expect(new Set(cycle).size).toBe(cycle.length);
  const byId = new Map(workers.map((worker) => [worker.id, worker]));
  cycle.forEach((id, index) => {
    const previous = cycle[(index - 1 + cycle.length) % cycle.length] ?? '';
    expect(byId.get(id)?.dependsOn).toContain(previous);
  });
}

describe('kahnLayers', () => {
  it('a 10-worker graph with a diamond, a fan-in and an independent chain gets the right layers', () => {
    const workers: LayerNode[] = [
      // diamond: top -> left, right -> bottom
      { id: 'top', dependsOn: [] },
      { id: 'left', dependsOn: ['top'] },
      { id: 'right', dependsOn: ['top'] },
      { id: 'bottom', dependsOn: ['left', 'right'] },
      // fan-in: three sources into one synthesizer, which also waits for the diamond
      { id: 'src-1', dependsOn: [] },
      { id: 'src-2', dependsOn: [] },
      { id: 'src-3', dependsOn: [] },
      { id: 'synth', dependsOn: ['src-1', 'src-2', 'src-3', 'bottom'] },
      // independent chain
      { id: 'chain-1', dependsOn: [] },
      { id: 'chain-2', dependsOn: ['chain-1'] },
    ];
    expect(layersOf(workers)).toEqual([
      ['chain-1', 'src-1', 'src-2', 'src-3', 'top'],
      ['chain-2', 'left', 'right'],
      ['bottom'],
      ['synth'],
    ]);
  });

  it('gives the same layers whatever order the workers and dependencies come in', () => {
    const workers: LayerNode[] = [
      { id: 'd', dependsOn: ['c', 'b'] },
      { id: 'c', dependsOn: ['a'] },
      { id: 'b', dependsOn: ['a', 'a'] },
      { id: 'a', dependsOn: [] },
    ];
    expect(layersOf(workers)).toEqual([['a'], ['b', 'c'], ['d']]);
    expect(layersOf([...workers].reverse())).toEqual([['a'], ['b', 'c'], ['d']]);
  });

  it('ignores a dependency on an id that is not among the workers (reported elsewhere)', () => {
    expect(layersOf([{ id: 'a', dependsOn: ['ghost'] }])).toEqual([['a']]);
  });

  it('names a cycle of three in run order, starting from its smallest id', () => {
    const workers: LayerNode[] = [
      { id: 'c', dependsOn: ['b'] },
      { id: 'a', dependsOn: ['c'] },
      { id: 'b', dependsOn: ['a'] },
      { id: 'tail', dependsOn: ['c'] },
      { id: 'free', dependsOn: [] },
    ];
    expect(kahnLayers(workers)).toEqual({ ok: false, cycle: ['a', 'b', 'c'] });
  });

  it('a self-dependency is a cycle of one', () => {
    expect(kahnLayers([{ id: 'ok', dependsOn: [] }, { id: 'me', dependsOn: ['me', 'ok'] }])).toEqual({ ok: false, cycle: ['me'] });
  });

  it('a worker waiting on a cycle is not named as a member of it', () => {
    const workers: LayerNode[] = [
      { id: 'aa-waits', dependsOn: ['x'] },
      { id: 'x', dependsOn: ['y'] },
      { id: 'y', dependsOn: ['x'] },
    ];
    const result = kahnLayers(workers);
    expect(result).toEqual({ ok: false, cycle: ['x', 'y'] });
  });

  it(`every worker's layer is 1 + the highest layer of its dependencies, over ${PROPERTY_RUNS} random DAGs`, () => {
    fc.assert(
      fc.property(randomDag(), (workers) => {
        const layers = layersOf(workers);
        const layerOf = new Map(layers.flatMap((layer, index) => layer.map((id) => [id, index] as const)));
        expect(layerOf.size).toBe(workers.length);
        expect(layers.flat()).toHaveLength(workers.length);
        for (const layer of layers) expect(layer).toEqual([...layer].sort());
        for (const worker of workers) {
          const expected = worker.dependsOn.length === 0 ? 0 : 1 + Math.max(...worker.dependsOn.map((id) => layerOf.get(id) ?? -1));
          expect(layerOf.get(worker.id)).toBe(expected);
        }
      }),
      { numRuns: PROPERTY_RUNS },
    );
  });

  it(`a back-edge added to a random DAG yields a cycle of real dependency edges, over ${PROPERTY_RUNS} random DAGs`, () => {
    fc.assert(
      fc.property(randomDag(), fc.nat(), fc.nat(), (workers, pickFrom, pickTo) => {
        // Make a worker depend on one of its own descendants (or itself): that closes a cycle.
        const from = workers[pickFrom % workers.length];
        if (from === undefined) return;
        const descendants = descendantsOf(workers, from.id);
        const to = descendants[pickTo % descendants.length] ?? from.id;
        const withBackEdge = workers.map((worker) => (worker.id === from.id ? { ...worker, dependsOn: [...worker.dependsOn, to] } : worker));
        const result = kahnLayers(withBackEdge);
        expect(result.ok).toBe(false);
        if (!result.ok) expectRealCycle(withBackEdge, result.cycle);
      }),
      { numRuns: PROPERTY_RUNS },
    );
  });
});

/** A DAG: worker i may depend only on workers before it; ids are shuffled names so order says nothing. */
function randomDag(): fc.Arbitrary<LayerNode[]> {
  return fc
    .integer({ min: 1, max: MAX_RANDOM_WORKERS })
    .chain((count) =>
      fc.tuple(
        fc.shuffledSubarray(
          Array.from({ length: count }, (_, index) => `w${index}`),
          { minLength: count, maxLength: count },
        ),
        fc.array(fc.array(fc.nat(), { maxLength: 4 }), { minLength: count, maxLength: count }),
      ),
    )
    .map(([ids, picks]) =>
      ids.map((id, index) => ({
        id,
        dependsOn: index === 0 ? [] : [...new Set((picks[index] ?? []).map((pick) => ids[pick % index] ?? ''))],
      })),
    );
}

/** The worker itself and every worker that (transitively) depends on it. */
function descendantsOf(workers: LayerNode[], id: string): string[] {
  const found = new Set([id]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const worker of workers) {
      if (!found.has(worker.id) && worker.dependsOn.some((dependency) => found.has(dependency))) {
        found.add(worker.id);
        grew = true;
      }
    }
  }
  return [...found];
}
