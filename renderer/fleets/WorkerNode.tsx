import { Handle, Position, type Node, type NodeProps } from '@xyflow/react';
import type { FleetWorkerView } from '../../shared/fleets';
import { shortMessage, spendText } from './fleet-text';

export type WorkerNodeType = Node<{ worker: FleetWorkerView }, 'worker'>;

/** One worker on the graph: its id, state, cost and last message; edges enter left and leave right. */
export function WorkerNode({ data }: NodeProps<WorkerNodeType>) {
  const { worker } = data;
  return (
    <div className="fleet-node-body">
      <Handle type="target" position={Position.Left} isConnectable={false} />
      <div className="fleet-node-head">
        <strong>{worker.id}</strong>
        <span className="state-badge">{worker.state}</span>
      </div>
      <div className="fleet-node-cost">{spendText(worker.spend)}</div>
      <div className="fleet-node-line">{shortMessage(worker.reason ?? worker.lastMessage) || worker.task || ' '}</div>
      <Handle type="source" position={Position.Right} isConnectable={false} />
    </div>
  );
}
