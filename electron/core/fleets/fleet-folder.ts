import fs from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import { workerTypes, type WorkerType } from '../../../shared/domain';
import { FleetError } from '../../../shared/errors';
import {
  fleetFileSchema,
  fleetProviders,
  fleetWorkerIdSchema,
  outputLine,
  type composeFleetInputSchema,
  type FleetFile,
  type FleetPreview,
  type FleetProblem,
  type FleetProvider,
  type ResolvedFleetWorker,
} from '../../../shared/fleets';
import { echoPrefix } from '../router';
import { fleetAscii, fleetMermaid } from './graph-text';
import { kahnLayers } from './layers';

/**
 * A fleet folder, the seed's format: `<root>/fleet.json` and `<root>/workers/<id>/prompt.md`; each
 * worker writes to `<root>/workers/<id>/output/`. Reading one never creates anything; composing one
 * writes exactly those files.
 */

export const FLEET_FILE = 'fleet.json';
const WORKERS_DIR = 'workers';
const PROMPT_FILE = 'prompt.md';
const OUTPUT_DIR = 'output';
const SESSION_LOG = 'session.jsonl';

/** Workers running at once when `config.max_concurrent` is not set: the seed's scripts run a few panes side by side. */
export const DEFAULT_MAX_CONCURRENT = 4;
/** The seed's default provider. */
const DEFAULT_PROVIDER: FleetProvider = 'claude';
/** The seed's typical default for build and test workers. */
const DEFAULT_WORKER_TYPE: WorkerType = 'code-run';
/** A fleet.json is a few KB; anything this large is not one, and reading it whole would stall the core. */
export const MAX_FLEET_FILE_BYTES = 1024 * 1024;
/** A prompt is checked for text a chunk at a time: most prompts fit in one. */
const PROMPT_PEEK_BYTES = 64 * 1024;

export interface FleetPaths {
  prompt: string;
  outputDir: string;
  /** The worker's raw log, mirrored here as the seed keeps it. */
  sessionLog: string;
  /** The previous session log, kept when the operator relaunches the worker. */
  sessionLogBak: string;
}

export function fleetPaths(root: string, workerId: string): FleetPaths {
  const folder = path.join(absoluteRoot(root), WORKERS_DIR, checkedWorkerId(workerId));
  const sessionLog = path.join(folder, SESSION_LOG);
  return {
    prompt: path.join(folder, PROMPT_FILE),
    outputDir: path.join(folder, OUTPUT_DIR),
    sessionLog,
    sessionLogBak: `${sessionLog}.bak`,
  };
}

/** The prompt sent to the CLI: prompt.md, then the seed's output line verbatim unless prompt.md already has it. */
export function workerPromptText(root: string, workerId: string, promptMd: string): string {
  const line = outputLine(absoluteRoot(root), checkedWorkerId(workerId));
  if (promptMd.includes(line)) return promptMd;
  const body = promptMd.length === 0 || promptMd.endsWith('\n') ? promptMd : `${promptMd}\n`;
  return `${body}\n${line}\n`;
}

/** Reads and checks a fleet folder, reporting every problem in plain words. Throws only for a relative root. */
export function readFleetFolder(root: string): FleetPreview {
  const fleetRoot = absoluteRoot(root);
  const parsed = readFleetFile(fleetRoot);
  if (!parsed.ok) return emptyPreview(fleetRoot, null, parsed.problems, DEFAULT_MAX_CONCURRENT, null);

  const file = parsed.file;
  const maxConcurrent = file.config.max_concurrent ?? DEFAULT_MAX_CONCURRENT;
  const maxBudgetFleet = file.config.max_budget_fleet ?? null;
  const problems: FleetProblem[] = [];
  const ids = new Set(file.workers.map((worker) => worker.id));

  const seen = new Set<string>();
  for (const worker of file.workers) {
    if (seen.has(worker.id)) {
      problems.push(problem('duplicate_id', `Two workers have the id ${worker.id}; each worker needs its own id.`, worker.id));
    }
    seen.add(worker.id);
  }

  for (const worker of uniqueById(file.workers)) {
    for (const dependency of new Set(worker.depends_on)) {
      if (!ids.has(dependency)) {
        problems.push(
          problem('unknown_dependency', `Worker ${worker.id} depends on ${echoPrefix(dependency)}, which is not in the fleet.`, worker.id),
        );
      }
    }
    const promptProblem = checkPrompt(fleetRoot, worker.id);
    if (promptProblem !== null) problems.push(promptProblem);

    const type = worker.type ?? file.config.type ?? DEFAULT_WORKER_TYPE;
    if (!isWorkerType(type)) {
      problems.push(
        problem(
          'unknown_worker_type',
          `Worker ${worker.id} has the type ${echoPrefix(type)}, which is not a worker type (${workerTypes.join(', ')}).`,
          worker.id,
        ),
      );
    }
    const provider = worker.provider ?? file.config.provider ?? DEFAULT_PROVIDER;
    if (!isProvider(provider)) {
      problems.push(
        problem(
          'unknown_provider',
          `Worker ${worker.id} has the provider ${echoPrefix(provider)}, which is not a provider (${fleetProviders.join(', ')}).`,
          worker.id,
        ),
      );
    }
    if (provider === 'codex') {
      if (worker.max_budget_usd !== undefined) {
        problems.push(
          problem('codex_budget', `Codex has no budget cap: max_budget_usd cannot be enforced for worker ${worker.id}; remove it.`, worker.id),
        );
      } else if (file.config.max_budget_usd !== undefined) {
        problems.push(
          problem(
            'codex_budget',
            `Codex has no budget cap: the config's max_budget_usd cannot be enforced for worker ${worker.id}; remove it from the config and set it on each Claude worker instead.`,
            worker.id,
          ),
        );
      }
    }
  }

  const layered = kahnLayers(uniqueById(file.workers).map((worker) => ({ id: worker.id, dependsOn: worker.depends_on })));
  if (!layered.ok) {
    problems.push({
      code: 'cycle',
      message: `CYCLE:${layered.cycle.join(',')} (${cycleWords(layered.cycle)})`,
      workerId: layered.cycle[0] ?? null,
      cycle: layered.cycle,
    });
  }

  if (problems.length > 0 || !layered.ok) return emptyPreview(fleetRoot, file.fleet_name, problems, maxConcurrent, maxBudgetFleet);

  const layerOf = new Map(layered.layers.flatMap((layer, index) => layer.map((id) => [id, index] as const)));
  const workers = file.workers.map((worker) => resolveWorker(file, worker, layerOf.get(worker.id) ?? 0));
  const graphWorkers = workers.map((worker) => ({ id: worker.id, dependsOn: worker.dependsOn }));
  return {
    root: fleetRoot,
    fleetName: file.fleet_name,
    problems: [],
    workers,
    layers: layered.layers,
    maxConcurrent,
    maxBudgetFleet,
    ascii: fleetAscii(layered.layers, graphWorkers),
    mermaid: fleetMermaid(graphWorkers),
  };
}

/**
 * Writes `fleet.json` (unknown keys kept) and `workers/<id>/prompt.md` for each worker, and nothing
 * else. An existing fleet.json is refused unless `overwrite` is set.
 */
export function writeFleetFolder(input: z.output<typeof composeFleetInputSchema>): void {
  const fleetRoot = absoluteRoot(input.root);
  const ids = new Set(input.file.workers.map((worker) => worker.id));
  for (const id of ids) {
    if (input.prompts[id] === undefined) {
      throw new FleetError('invalid_fleet_file', `Worker ${id} has no prompt; every worker needs its prompt.md.`);
    }
  }
  for (const id of Object.keys(input.prompts)) {
    if (!ids.has(id)) {
      throw new FleetError('invalid_fleet_file', `There is a prompt for ${echoPrefix(id)}, which is not a worker of the fleet.`);
    }
  }

  const fleetJson = path.join(fleetRoot, FLEET_FILE);
  try {
    fs.mkdirSync(fleetRoot, { recursive: true });
  } catch (error) {
    // A file where the root should be fails here as EEXIST too: that is not an existing fleet.
    throw new FleetError('invalid_input', `The fleet folder ${echoPrefix(fleetRoot)} could not be made (${errnoCode(error) ?? 'error'}).`);
  }
  try {
    // `wx` claims fleet.json before any prompt is written, so a refused compose changes nothing.
    fs.writeFileSync(fleetJson, `${JSON.stringify(input.file, null, 2)}\n`, { flag: input.overwrite ? 'w' : 'wx' });
    for (const id of ids) {
      const prompt = fleetPaths(fleetRoot, id).prompt;
      fs.mkdirSync(path.dirname(prompt), { recursive: true });
      fs.writeFileSync(prompt, input.prompts[id] ?? '');
    }
  } catch (error) {
    if (errnoCode(error) === 'EEXIST' && !input.overwrite) {
      throw new FleetError('fleet_exists', `There is already a fleet.json in ${echoPrefix(fleetRoot)}; choose overwrite to replace it.`);
    }
    throw new FleetError('invalid_input', `The fleet folder ${echoPrefix(fleetRoot)} could not be written (${errnoCode(error) ?? 'error'}).`);
  }
}

type ParsedFleetFile = { ok: true; file: FleetFile } | { ok: false; problems: FleetProblem[] };

function readFleetFile(fleetRoot: string): ParsedFleetFile {
  const fleetJson = path.join(fleetRoot, FLEET_FILE);
  let text: string;
  try {
    // Checked on the open handle, non-blocking: a FIFO named fleet.json must not block the core.
    const fd = fs.openSync(fleetJson, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
    try {
      const stat = fs.fstatSync(fd);
      if (!stat.isFile()) return fileProblem(`${FLEET_FILE} in ${echoPrefix(fleetRoot)} is not a file.`);
      if (stat.size > MAX_FLEET_FILE_BYTES) {
        return fileProblem(`${FLEET_FILE} is ${stat.size} bytes; a fleet file is at most ${MAX_FLEET_FILE_BYTES} bytes.`);
      }
      text = fs.readFileSync(fd, 'utf8');
    } finally {
      fs.closeSync(fd);
    }
  } catch (error) {
    const code = errnoCode(error);
    if (code === 'ENOENT' || code === 'ENOTDIR') return fileProblem(`There is no ${FLEET_FILE} in ${echoPrefix(fleetRoot)}.`);
    return fileProblem(`${FLEET_FILE} in ${echoPrefix(fleetRoot)} could not be read (${code ?? 'error'}).`);
  }

  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return fileProblem(`${FLEET_FILE} is not valid JSON: ${echoPrefix(error instanceof Error ? error.message : String(error))}`);
  }

  const result = fleetFileSchema.safeParse(json);
  if (result.success) return { ok: true, file: result.data };
  return {
    ok: false,
    problems: result.error.issues.map((issue) =>
      problem('invalid_fleet_file', `${FLEET_FILE}: ${issuePath(issue.path)}: ${echoPrefix(issue.message)}`, null),
    ),
  };
}

function checkPrompt(fleetRoot: string, workerId: string): FleetProblem | null {
  const relative = `${WORKERS_DIR}/${workerId}/${PROMPT_FILE}`;
  let text: 'text' | 'blank' | 'not_a_file';
  try {
    text = promptText(fleetPaths(fleetRoot, workerId).prompt);
  } catch {
    return problem('missing_prompt', `Worker ${workerId} has no prompt: ${relative} is missing.`, workerId);
  }
  if (text === 'not_a_file') return problem('missing_prompt', `Worker ${workerId} has no prompt: ${relative} is not a file.`, workerId);
  if (text === 'blank') return problem('missing_prompt', `Worker ${workerId} has an empty prompt: ${relative} has no text.`, workerId);
  return null;
}

/**
 * Whether a prompt file has any text. Opened non-blocking and checked on the open handle, so a FIFO
 * (or one swapped in after a check) never blocks the core; read only up to its first non-blank character.
 */
function promptText(file: string): 'text' | 'blank' | 'not_a_file' {
  const fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  try {
    if (!fs.fstatSync(fd).isFile()) return 'not_a_file';
    const chunk = Buffer.alloc(PROMPT_PEEK_BYTES);
    for (;;) {
      const read = fs.readSync(fd, chunk, 0, chunk.length, null);
      if (read === 0) return 'blank';
      if (/\S/.test(chunk.toString('utf8', 0, read))) return 'text';
    }
  } finally {
    fs.closeSync(fd);
  }
}

function resolveWorker(file: FleetFile, worker: FleetFile['workers'][number], layer: number): ResolvedFleetWorker {
  const config = file.config;
  return {
    id: worker.id,
    type: (worker.type ?? config.type ?? DEFAULT_WORKER_TYPE) as WorkerType,
    task: worker.task,
    provider: (worker.provider ?? config.provider ?? DEFAULT_PROVIDER) as FleetProvider,
    model: worker.model ?? config.model ?? null,
    reasoningEffort: worker.reasoning_effort ?? config.reasoning_effort ?? null,
    maxTurns: worker.max_turns ?? config.max_turns ?? null,
    maxBudgetUsd: worker.max_budget_usd ?? config.max_budget_usd ?? null,
    dependsOn: [...new Set(worker.depends_on)],
    layer,
  };
}

function emptyPreview(
  root: string,
  fleetName: string | null,
  problems: FleetProblem[],
  maxConcurrent: number,
  maxBudgetFleet: number | null,
): FleetPreview {
  return { root, fleetName, problems, workers: [], layers: [], maxConcurrent, maxBudgetFleet, ascii: '', mermaid: '' };
}

function fileProblem(message: string): ParsedFleetFile {
  return { ok: false, problems: [problem('invalid_fleet_file', message, null)] };
}

function problem(code: FleetProblem['code'], message: string, workerId: string | null): FleetProblem {
  return { code, message, workerId, cycle: null };
}

function cycleWords(cycle: readonly string[]): string {
  if (cycle.length === 1) return `worker ${cycle[0]} depends on itself`;
  return `${[...cycle, cycle[0]].join(' -> ')}: each waits for the one before it`;
}

/** `workers[2].id`, with every key cut to a short prefix. */
function issuePath(keys: readonly PropertyKey[]): string {
  if (keys.length === 0) return '(the whole file)';
  return keys
    .map((key, index) => (typeof key === 'number' ? `[${key}]` : `${index === 0 ? '' : '.'}${echoPrefix(String(key))}`))
    .join('');
}

function uniqueById<T extends { id: string }>(workers: readonly T[]): T[] {
  const byId = new Map<string, T>();
  for (const worker of workers) if (!byId.has(worker.id)) byId.set(worker.id, worker);
  return [...byId.values()];
}

function absoluteRoot(root: string): string {
  if (!path.isAbsolute(root)) {
    throw new FleetError('invalid_input', `A fleet root must be an absolute path; got ${JSON.stringify(echoPrefix(root))}.`);
  }
  return path.resolve(root);
}

function checkedWorkerId(workerId: string): string {
  if (!fleetWorkerIdSchema.safeParse(workerId).success) {
    throw new FleetError('invalid_input', `${JSON.stringify(echoPrefix(workerId))} is not a worker id.`);
  }
  return workerId;
}

function isWorkerType(type: string): type is WorkerType {
  return (workerTypes as readonly string[]).includes(type);
}

function isProvider(provider: string): provider is FleetProvider {
  return (fleetProviders as readonly string[]).includes(provider);
}

function errnoCode(error: unknown): string | null {
  return error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : null;
}
