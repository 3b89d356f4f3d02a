/** A node's box on the graph: wide enough for an id, a state, a cost and one short message. */
export const NODE_WIDTH = 220;
export const NODE_HEIGHT = 96;
/** Room between layers (edges run there) and between the nodes of one layer. */
const LAYER_GAP = 80;
const NODE_GAP = 28;

export interface LayoutInput {
  id: string;
  dependsOn: readonly string[];
}

export interface NodePosition {
  x: number;
  y: number;
}

type Elk = InstanceType<typeof import('elkjs/lib/elk.bundled.js').default>;
let elk: Promise<Elk> | null = null;

/** ELK is over a megabyte: it loads the first time a graph is laid out, in a chunk of its own. */
function loadElk(): Promise<Elk> {
  elk ??= import('elkjs/lib/elk.bundled.js').then(({ default: ELK }) => new ELK());
  return elk;
}

/**
 * Positions from ELK's layered layout, left to right. Layering by longest path from the sources puts
 * each worker in its Kahn BFS layer, so a column of the graph is a layer the scheduler runs together.
 * Dependencies on ids that are not in the fleet are left out (the preview names them as problems).
 */
export async function layoutFleet(workers: readonly LayoutInput[]): Promise<Map<string, NodePosition>> {
  const ids = new Set(workers.map((worker) => worker.id));
  const graph = await (await loadElk()).layout({
    id: 'fleet',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'RIGHT',
      'elk.layered.layering.strategy': 'LONGEST_PATH_SOURCE',
      'elk.layered.spacing.nodeNodeBetweenLayers': String(LAYER_GAP),
      'elk.spacing.nodeNode': String(NODE_GAP),
    },
    children: workers.map((worker) => ({ id: worker.id, width: NODE_WIDTH, height: NODE_HEIGHT })),
    edges: workers.flatMap((worker) =>
      worker.dependsOn
        .filter((dependency) => ids.has(dependency))
        .map((dependency) => ({ id: `${dependency}->${worker.id}`, sources: [dependency], targets: [worker.id] })),
    ),
  });
  return new Map((graph.children ?? []).map((node) => [node.id, { x: node.x ?? 0, y: node.y ?? 0 }]));
}
