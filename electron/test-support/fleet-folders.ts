import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FleetFeedEntry } from '../../shared/fleets';
import type { TestCore } from './test-core';

/** A fleet folder in a temp dir: `fleet.json` with these workers, and a prompt for each. */
export function writeFleetFolder(fleetName: string, config: Record<string, unknown>, workers: Record<string, unknown>[]): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'khala-fleet-'));
  writeFileSync(path.join(root, 'fleet.json'), JSON.stringify({ fleet_name: fleetName, config, workers }));
  for (const worker of workers) {
    const id = String(worker.id);
    mkdirSync(path.join(root, 'workers', id), { recursive: true });
    writeFileSync(path.join(root, 'workers', id, 'prompt.md'), `Task of ${id}\n`);
  }
  return root;
}

/** The fleet's pushed state changes, as `<worker>: <text>`. */
export function fleetStateLines(h: TestCore): string[] {
  return h.connection.events
    .filter((e) => e.event === 'fleet.feed')
    .flatMap((e) => (e.payload as { entries: FleetFeedEntry[] }).entries)
    .filter((x) => x.kind === 'state')
    .map((x) => `${x.workerId}: ${x.text}`);
}
