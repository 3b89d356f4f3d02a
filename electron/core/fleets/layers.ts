/**
 * Kahn's algorithm in BFS layers, as the seed's `lib/dag.sh` orders a fleet: layer 0 holds the
 * workers with no dependency, layer n+1 those whose last dependency is in layer n. Ids are sorted
 * within a layer so the same fleet always gives the same layers.
 */

export interface LayerNode {
  id: string;
  dependsOn: string[];
}

export type LayersResult = { ok: true; layers: string[][] } | { ok: false; cycle: string[] };

/**
 * Layers the workers, or names one cycle among them. A dependency on an id that is not among the
 * workers is ignored here (the fleet folder reports it as `unknown_dependency`).
 *
 * A cycle comes back in run order, starting from its smallest id: each member depends on the one
 * before it, and the first depends on the last. For `b` on `a`, `c` on `b`, `a` on `c` that is
 * `["a", "b", "c"]`; a worker that depends on itself is a cycle of one.
 */
export function kahnLayers(workers: readonly LayerNode[]): LayersResult {
  const ids = new Set(workers.map((worker) => worker.id));
  const dependencies = new Map<string, string[]>();
  const dependents = new Map<string, string[]>();
  for (const id of ids) dependents.set(id, []);
  for (const worker of workers) {
    const known = [...new Set(worker.dependsOn)].filter((dependency) => ids.has(dependency));
    dependencies.set(worker.id, known);
    for (const dependency of known) dependents.get(dependency)?.push(worker.id);
  }

  const pending = new Map<string, number>();
  for (const [id, known] of dependencies) pending.set(id, known.length);

  const layers: string[][] = [];
  let layer = [...ids].filter((id) => pending.get(id) === 0).sort();
  let placed = 0;
  while (layer.length > 0) {
    layers.push(layer);
    placed += layer.length;
    const next: string[] = [];
    for (const id of layer) {
      for (const dependent of dependents.get(id) ?? []) {
        const left = (pending.get(dependent) ?? 0) - 1;
        pending.set(dependent, left);
        if (left === 0) next.push(dependent);
      }
    }
    layer = next.sort();
  }

  if (placed === ids.size) return { ok: true, layers };
  const leftover = new Set([...ids].filter((id) => (pending.get(id) ?? 0) > 0));
  return { ok: false, cycle: findCycle(leftover, dependencies) };
}

/**
 * Every worker Kahn could not place waits on at least one other such worker, so walking from any of
 * them along unplaced dependencies must come back to a worker already seen: that loop is a cycle.
 */
function findCycle(leftover: Set<string>, dependencies: Map<string, string[]>): string[] {
  const start = [...leftover].sort()[0];
  const walk: string[] = [];
  const seenAt = new Map<string, number>();
  let current: string | undefined = start;
  while (current !== undefined && !seenAt.has(current)) {
    seenAt.set(current, walk.length);
    walk.push(current);
    current = (dependencies.get(current) ?? []).filter((dependency) => leftover.has(dependency)).sort()[0];
  }
  // The walk follows "depends on"; reversed, each member depends on the one before it (run order).
  const loop = walk.slice(current === undefined ? 0 : (seenAt.get(current) ?? 0)).reverse();
  const first = loop.indexOf([...loop].sort()[0] ?? '');
  return [...loop.slice(first), ...loop.slice(0, first)];
}
