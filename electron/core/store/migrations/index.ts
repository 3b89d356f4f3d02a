import foundation from './0001_foundation.sql?raw';
import accounts from './0002_accounts.sql?raw';
import realWorkers from './0003_real_workers.sql?raw';
import fleetRuns from './0004_fleet_runs.sql?raw';
import storeIdentity from './0005_store_identity.sql?raw';
import dagAssignments from './0006_dag_assignments.sql?raw';
import dagFleets from './0007_dag_fleets.sql?raw';
import usageMeters from './0008_usage_meters.sql?raw';
import detachedWorkers from './0009_detached_workers.sql?raw';
import spawnRequests from './0010_spawn_requests.sql?raw';
import review from './0011_review.sql?raw';
import recentRepositories from './0013_recent_repositories.sql?raw';
import scaleIndexes from './0014_scale_indexes.sql?raw';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** Applied in this order, each once, each in its own transaction. */
export const migrations: readonly Migration[] = [
  { version: 1, name: 'foundation', sql: foundation },
  { version: 2, name: 'accounts', sql: accounts },
  { version: 3, name: 'real_workers', sql: realWorkers },
  { version: 4, name: 'fleet_runs', sql: fleetRuns },
  { version: 5, name: 'store_identity', sql: storeIdentity },
  { version: 6, name: 'dag_assignments', sql: dagAssignments },
  { version: 7, name: 'dag_fleets', sql: dagFleets },
  { version: 8, name: 'usage_meters', sql: usageMeters },
  { version: 9, name: 'detached_workers', sql: detachedWorkers },
  { version: 10, name: 'spawn_requests', sql: spawnRequests },
  { version: 11, name: 'review', sql: review },
  { version: 13, name: 'recent_repositories', sql: recentRepositories },
  { version: 14, name: 'scale_indexes', sql: scaleIndexes },
];
