import type { FleetWorkerState } from '../../../shared/fleets';

/**
 * The fleet's DAG as text, for export and for the CLI, after the seed's `dag-viz.py`: an ASCII view
 * layer by layer, and Mermaid (`graph TD`) with one node per worker and one edge per dependency.
 */

export interface GraphWorker {
  id: string;
  dependsOn: string[];
  state?: FleetWorkerState;
}

/** Spaces between the ids on one layer line: wide enough to read ids apart. */
const ASCII_GAP = '  ';

/**
 * ```
 * L0  a  b
 * L1  c
 *
 * a -> c
 * b -> c
 * ```
 * With states each id reads `a [running]`. Edges are listed by the dependent's layer, then its id.
 */
export function fleetAscii(layers: readonly (readonly string[])[], workers: readonly GraphWorker[]): string {
  const byId = new Map(workers.map((worker) => [worker.id, worker]));
  const label = (id: string): string => {
    const state = byId.get(id)?.state;
    return state === undefined ? id : `${id} [${state}]`;
  };
  const layerLines = layers.map((layer, index) => `L${index}${ASCII_GAP}${layer.map(label).join(ASCII_GAP)}`);
  const edgeLines = layers.flatMap((layer) =>
    layer.flatMap((id) => [...(byId.get(id)?.dependsOn ?? [])].sort().map((dependency) => `${dependency} -> ${id}`)),
  );
  return [...layerLines, ...(edgeLines.length > 0 ? ['', ...edgeLines] : [])].join('\n') + '\n';
}

/** Fill and stroke per state, so an exported graph reads like the board's. */
const MERMAID_STATE_STYLES: Record<FleetWorkerState, string> = {
  waiting: 'fill:#f4f4f5,stroke:#a1a1aa',
  ready: 'fill:#e0f2fe,stroke:#0284c7',
  running: 'fill:#dbeafe,stroke:#2563eb',
  succeeded: 'fill:#dcfce7,stroke:#16a34a',
  failed: 'fill:#fee2e2,stroke:#dc2626',
  killed: 'fill:#fce7f3,stroke:#be185d',
  blocked: 'fill:#fef3c7,stroke:#d97706',
  held: 'fill:#ede9fe,stroke:#7c3aed',
};

/**
 * Node keys are `w0`, `w1`, … in the workers' order, and each id is a quoted label with every
 * character outside a safe set written as a Mermaid entity (`#34;`), so no id can break the syntax.
 */
export function fleetMermaid(workers: readonly GraphWorker[]): string {
  const keys = new Map(workers.map((worker, index) => [worker.id, `w${index}`]));
  const lines = ['graph TD'];
  for (const worker of workers) {
    const state = worker.state === undefined ? '' : ` (${worker.state})`;
    lines.push(`  ${keys.get(worker.id)}["${mermaidText(worker.id + state)}"]`);
  }
  for (const worker of workers) {
    for (const dependency of [...worker.dependsOn].sort()) {
      const from = keys.get(dependency);
      if (from !== undefined) lines.push(`  ${from} --> ${keys.get(worker.id)}`);
    }
  }
  const states = [...new Set(workers.flatMap((worker) => (worker.state === undefined ? [] : [worker.state])))].sort();
  for (const state of states) {
    lines.push(`  classDef ${state} ${MERMAID_STATE_STYLES[state]}`);
    const members = workers.filter((worker) => worker.state === state).map((worker) => keys.get(worker.id));
    lines.push(`  class ${members.join(',')} ${state}`);
  }
  return lines.join('\n') + '\n';
}

function mermaidText(text: string): string {
  return [...text].map((char) => (/[A-Za-z0-9 ._()-]/.test(char) ? char : `#${char.codePointAt(0)};`)).join('');
}
