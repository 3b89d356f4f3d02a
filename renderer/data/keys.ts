export const cardsKey = ['cards'] as const;
export const hostInfoKey = ['host-info'] as const;
export const accountsKey = ['accounts'] as const;
export const providersKey = ['providers'] as const;
export const settingsKey = ['settings'] as const;
export const runsKey = ['runs'] as const;
export const inboxKey = ['inbox'] as const;

/** One run with its claims-and-skips log, refetched whenever the run changes (see EventBridge). */
export function runKey(runId: string) {
  return ['run', runId] as const;
}

export function assignmentKey(assignmentId: string) {
  return ['assignment', assignmentId] as const;
}

/** The worker's raw JSONL, refetched whenever its card changes (see EventBridge). */
export function rawLogKey(assignmentId: string) {
  return ['raw-log', assignmentId] as const;
}

export function loginKey(loginId: string) {
  return ['login', loginId] as const;
}

export const fleetsKey = ['fleets'] as const;

/** One DAG fleet's detail (workers, layers, graph text), refetched whenever its summary changes. */
export function fleetKey(fleetId: string) {
  return ['fleet', fleetId] as const;
}

/** A fleet's unified feed: fetched once, then grown by `fleet.feed` events (see EventBridge). */
export function fleetFeedKey(fleetId: string) {
  return ['fleet-feed', fleetId] as const;
}

/** A worker's prompt.md as the prompt editor loaded it. */
export function fleetPromptKey(fleetId: string, workerId: string) {
  return ['fleet-prompt', fleetId, workerId] as const;
}

/** The fleet's report.md, written again each time it is fetched. */
export function fleetReportKey(fleetId: string) {
  return ['fleet-report', fleetId] as const;
}
