import '@xyflow/react/dist/style.css';
import { ReactFlow, useReactFlow, useStore, type Edge, type NodeChange, type NodeTypes } from '@xyflow/react';
import { useEffect, useMemo, useState } from 'react';
import type { FleetDetail, FleetWorkerView } from '../../shared/fleets';
import { useUiStore } from '../state/ui-store';
import { GraphExport } from './GraphExport';
import { workerStateDescriptions, workerTones } from './fleet-text';
import { layoutFleet, type NodePosition } from './graph-layout';
import { WorkerNode, type WorkerNodeType } from './WorkerNode';

const nodeTypes: NodeTypes = { worker: WorkerNode };

/** The structure the layout depends on: it is computed again only when workers or edges change, not states. */
function shapeKey(workers: readonly FleetWorkerView[]): string {
  return JSON.stringify(workers.map((worker) => [worker.id, worker.dependsOn]));
}

/** The DAG as React Flow nodes placed by ELK (one column per layer), coloured by state; a click opens the worker. */
export function FleetGraph({ detail }: { detail: FleetDetail }) {
  const { workers } = detail;
  const shape = shapeKey(workers);
  const [positions, setPositions] = useState<Map<string, NodePosition> | null>(null);
  const [focusedId, setFocusedId] = useState<string | null>(null);
  const selectedAssignmentId = useUiStore((state) => state.selectedAssignmentId);
  const openPane = useUiStore((state) => state.openPane);
  const theme = useUiStore((state) => state.theme);

  useEffect(() => {
    let current = true;
    const parsed = JSON.parse(shape) as [string, string[]][];
    void layoutFleet(parsed.map(([id, dependsOn]) => ({ id, dependsOn }))).then((placed) => {
      if (current) setPositions(placed);
    });
    return () => {
      current = false;
    };
  }, [shape]);

  const nodes = useMemo<WorkerNodeType[]>(
    () =>
      positions === null
        ? []
        : workers.map((worker) => ({
            id: worker.id,
            type: 'worker',
            position: positions.get(worker.id) ?? { x: 0, y: 0 },
            data: { worker },
            className: `fleet-node state-${workerTones[worker.state]}`,
            ariaRole: 'button',
            ariaLabel: `Worker ${worker.id}: ${worker.state}`,
            selected: worker.assignmentId !== null ? worker.assignmentId === selectedAssignmentId : worker.id === focusedId,
          })),
    [positions, workers, selectedAssignmentId, focusedId],
  );
  const edges = useMemo<Edge[]>(
    () =>
      workers.flatMap((worker) =>
        worker.dependsOn.map((dependency) => ({
          id: `${dependency}->${worker.id}`,
          source: dependency,
          target: worker.id,
          ariaLabel: `${worker.id} depends on ${dependency}`,
        })),
      ),
    [workers],
  );

  const open = (workerId: string) => {
    setFocusedId(workerId);
    const assignmentId = workers.find((worker) => worker.id === workerId)?.assignmentId;
    if (assignmentId) openPane(assignmentId);
  };
  // Enter on a focused node selects it: that opens the worker too, as a click does.
  const onNodesChange = (changes: NodeChange<WorkerNodeType>[]) => {
    for (const change of changes) if (change.type === 'select' && change.selected) open(change.id);
  };
  const focused = workers.find((worker) => worker.id === focusedId);

  return (
    <div className="fleet-graph-area">
      <div className="fleet-graph" aria-label="Fleet graph">
        {positions !== null && (
          <ReactFlow
            nodes={nodes}
            edges={edges}
            nodeTypes={nodeTypes}
            onNodeClick={(_event, node) => open(node.id)}
            onNodesChange={onNodesChange}
            nodesDraggable={false}
            nodesConnectable={false}
            fitView
            colorMode={theme}
            proOptions={{ hideAttribution: true }}
          >
            <FitOnResize />
          </ReactFlow>
        )}
      </div>
      {focused && <NodeNote worker={focused} />}
      <GraphExport ascii={detail.ascii} mermaid={detail.mermaid} name={detail.summary.name} />
    </div>
  );
}

/** Fits the whole graph again when its box changes size (a pane opening beside it narrows it). */
function FitOnResize() {
  const width = useStore((state) => state.width);
  const height = useStore((state) => state.height);
  const { fitView } = useReactFlow();
  useEffect(() => {
    void fitView();
  }, [width, height, fitView]);
  return null;
}

/** What the selected worker is doing, for one that has no card yet (it has not started). */
function NodeNote({ worker }: { worker: FleetWorkerView }) {
  return (
    <p className="muted fleet-node-note" role="status">
      {worker.id}: {workerStateDescriptions[worker.state]}
      {worker.reason ? ` (${worker.reason})` : ''}
      {worker.assignmentId === null ? '. It has no card yet.' : '.'}
    </p>
  );
}
