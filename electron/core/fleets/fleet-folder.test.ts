import fc from 'fast-check';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FleetError } from '../../../shared/errors';
import { composeFleetInputSchema, fleetPreviewSchema, outputLine, type FleetPreview, type FleetProblemCode } from '../../../shared/fleets';
import { DEFAULT_MAX_CONCURRENT, MAX_FLEET_FILE_BYTES, fleetPaths, readFleetFolder, workerPromptText, writeFleetFolder } from './fleet-folder';

/** Random fleet.json files tried by the fuzz test; each is a real file read from disk. */
const FUZZ_RUNS = 200;
/** Nesting depth of the deep-JSON inputs: deep enough to overflow any recursive walk, under the size limit. */
const DEEP_NESTING = 200_000;

const made: string[] = [];
afterAll(() => {
  for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
});

function tempRoot(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'khala-fleet-folder-'));
  made.push(dir);
  return dir;
}

/** Every path under `root`, folders with a trailing slash, sorted. */
function tree(root: string): string[] {
  return fs
    .readdirSync(root, { recursive: true, withFileTypes: true })
    .map((entry) => {
      const relative = path.relative(root, path.join(entry.parentPath, entry.name));
      return entry.isDirectory() ? `${relative}/` : relative;
    })
    .sort();
}

/** A fleet folder on disk: fleet.json (an object, or raw text) and the prompts given (null: none written). */
function fleetFolder(fleet: unknown, prompts: Record<string, string | null>): string {
  const root = tempRoot();
  fs.writeFileSync(path.join(root, 'fleet.json'), typeof fleet === 'string' ? fleet : JSON.stringify(fleet, null, 2));
  for (const [id, text] of Object.entries(prompts)) {
    if (text === null) continue;
    fs.mkdirSync(path.join(root, 'workers', id), { recursive: true });
    fs.writeFileSync(path.join(root, 'workers', id, 'prompt.md'), text);
  }
  return root;
}

function codes(preview: FleetPreview): FleetProblemCode[] {
  return preview.problems.map((problem) => problem.code);
}

function expectNothingPlanned(preview: FleetPreview): void {
  expect(preview.workers).toEqual([]);
  expect(preview.layers).toEqual([]);
  expect(preview.ascii).toBe('');
  expect(preview.mermaid).toBe('');
}

const diamond = {
  fleet_name: 'diamond',
  config: { provider: 'codex', model: 'gpt-5.4', reasoning_effort: 'medium', max_concurrent: 2, max_budget_fleet: 3, type: 'research' },
  workers: [
    { id: 'a', task: 'first' },
    { id: 'b', depends_on: ['a'], provider: 'claude', model: 'sonnet', type: 'write', max_budget_usd: 0.5, max_turns: 12 },
    { id: 'c', depends_on: ['a'], reasoning_effort: 'high' },
    { id: 'd', depends_on: ['b', 'c'], type: 'reviewer' },
  ],
};
const diamondPrompts = { a: 'Find things.', b: 'Write.', c: 'Check.', d: 'Review.' };

describe('readFleetFolder on a good folder', () => {
  it('applies config defaults, lets worker fields win, and layers the workers', () => {
    const root = fleetFolder(diamond, diamondPrompts);
    const preview = readFleetFolder(root);
    expect(preview.problems).toEqual([]);
    expect(preview.root).toBe(root);
    expect(preview.fleetName).toBe('diamond');
    expect(preview.maxConcurrent).toBe(2);
    expect(preview.maxBudgetFleet).toBe(3);
    expect(preview.layers).toEqual([['a'], ['b', 'c'], ['d']]);
    const byId = Object.fromEntries(preview.workers.map((worker) => [worker.id, worker]));
    expect(byId.a).toEqual({
      id: 'a',
      type: 'research',
      task: 'first',
      provider: 'codex',
      model: 'gpt-5.4',
      reasoningEffort: 'medium',
      maxTurns: null,
      maxBudgetUsd: null,
      dependsOn: [],
      layer: 0,
    });
    expect(byId.b).toMatchObject({ type: 'write', provider: 'claude', model: 'sonnet', maxBudgetUsd: 0.5, maxTurns: 12, layer: 1 });
    expect(byId.c).toMatchObject({ provider: 'codex', reasoningEffort: 'high', layer: 1 });
    expect(byId.d).toMatchObject({ type: 'reviewer', dependsOn: ['b', 'c'], layer: 2 });
    expect(preview.ascii).toContain('L2  d');
    expect(preview.mermaid.startsWith('graph TD\n')).toBe(true);
  });

  it('falls back to the seed defaults: provider claude, type code-run, max_concurrent 4', () => {
    const root = fleetFolder({ fleet_name: 'plain', workers: [{ id: 'only' }] }, { only: 'Do it.' });
    const preview = readFleetFolder(root);
    expect(preview.problems).toEqual([]);
    expect(preview.maxConcurrent).toBe(DEFAULT_MAX_CONCURRENT);
    expect(preview.maxBudgetFleet).toBeNull();
    expect(preview.workers[0]).toMatchObject({ provider: 'claude', type: 'code-run', model: null, reasoningEffort: null });
  });

  it('a trailing slash on the root is dropped, so output paths have no double slash', () => {
    const root = fleetFolder({ fleet_name: 'slash', workers: [{ id: 'w' }] }, { w: 'x' });
    expect(readFleetFolder(`${root}/`).root).toBe(root);
  });

  it('refuses a relative root with invalid_input', () => {
    expect(() => readFleetFolder('some/fleet')).toThrow(FleetError);
    try {
      readFleetFolder('some/fleet');
    } catch (error) {
      expect((error as FleetError).code).toBe('invalid_input');
    }
  });
});

describe('readFleetFolder names every problem, with a real folder each', () => {
  it('invalid_fleet_file: no fleet.json, and the folder is left as it was', () => {
    const root = tempRoot();
    const preview = readFleetFolder(path.join(root, 'not-there'));
    expect(codes(preview)).toEqual(['invalid_fleet_file']);
    expect(preview.problems[0]?.message).toContain('There is no fleet.json');
    expectNothingPlanned(preview);
    expect(tree(root)).toEqual([]);
  });

  it('invalid_fleet_file: malformed JSON', () => {
    const preview = readFleetFolder(fleetFolder('{"fleet_name": "x", workers: [', {}));
    expect(codes(preview)).toEqual(['invalid_fleet_file']);
    expect(preview.problems[0]?.message).toMatch(/^fleet\.json is not valid JSON/);
  });

  it('invalid_fleet_file: schema problems name the field path', () => {
    const root = fleetFolder({ fleet_name: 'bad', config: { max_concurrent: 0 }, workers: [{ id: 'ok' }, { id: '../escape' }] }, { ok: 'x' });
    const preview = readFleetFolder(root);
    expect(codes(preview)).toEqual(['invalid_fleet_file', 'invalid_fleet_file']);
    const messages = preview.problems.map((problem) => problem.message).join('\n');
    expect(messages).toContain('config.max_concurrent');
    expect(messages).toContain('workers[1].id');
    expectNothingPlanned(preview);
  });

  it('invalid_fleet_file: a 100,000-character key and name echo only a short prefix', () => {
    const long = 'k'.repeat(100_000);
    const root = fleetFolder({ fleet_name: long, config: { [long]: 1 }, workers: [{ id: 'w', max_turns: long }] }, { w: 'x' });
    const preview = readFleetFolder(root);
    expect(preview.problems.length).toBeGreaterThan(0);
    for (const problem of preview.problems) {
      expect(problem.code).toBe('invalid_fleet_file');
      expect(problem.message.length).toBeLessThan(400);
    }
  });

  it('invalid_fleet_file: fleet.json that is a folder, a FIFO (read without blocking), or larger than the limit', () => {
    const folderRoot = tempRoot();
    fs.mkdirSync(path.join(folderRoot, 'fleet.json'));
    expect(readFleetFolder(folderRoot).problems[0]?.message).toContain('is not a file');
    const fifoRoot = tempRoot();
    execFileSync('mkfifo', [path.join(fifoRoot, 'fleet.json')]);
    expect(readFleetFolder(fifoRoot).problems[0]?.message).toContain('is not a file');
    const big = fleetFolder(`{"fleet_name":"big","workers":[{"id":"w"}],"pad":"${'x'.repeat(MAX_FLEET_FILE_BYTES)}"}`, { w: 'x' });
    const preview = readFleetFolder(big);
    expect(codes(preview)).toEqual(['invalid_fleet_file']);
    expect(preview.problems[0]?.message).toContain('at most');
  });

  it('duplicate_id', () => {
    const preview = readFleetFolder(fleetFolder({ fleet_name: 'dup', workers: [{ id: 'w' }, { id: 'w' }] }, { w: 'x' }));
    expect(codes(preview)).toEqual(['duplicate_id']);
    expect(preview.problems[0]).toMatchObject({ workerId: 'w', message: expect.stringContaining('Two workers have the id w') });
    expectNothingPlanned(preview);
  });

  it('unknown_dependency names both ids', () => {
    const preview = readFleetFolder(fleetFolder({ fleet_name: 'dep', workers: [{ id: 'synth', depends_on: ['writer-9'] }] }, { synth: 'x' }));
    expect(codes(preview)).toEqual(['unknown_dependency']);
    expect(preview.problems[0]?.message).toBe('Worker synth depends on writer-9, which is not in the fleet.');
    expectNothingPlanned(preview);
  });

  it('missing_prompt: no file, an empty file, a blank file, and a folder named prompt.md', () => {
    const root = fleetFolder(
      { fleet_name: 'prompts', workers: [{ id: 'none' }, { id: 'empty' }, { id: 'blank' }, { id: 'folder' }, { id: 'fine' }] },
      { empty: '', blank: ' \n\t\n', fine: 'go' },
    );
    fs.mkdirSync(path.join(root, 'workers', 'folder', 'prompt.md'), { recursive: true });
    const preview = readFleetFolder(root);
    expect(codes(preview)).toEqual(['missing_prompt', 'missing_prompt', 'missing_prompt', 'missing_prompt']);
    expect(preview.problems.map((problem) => problem.workerId)).toEqual(['none', 'empty', 'blank', 'folder']);
    expect(preview.problems[0]?.message).toBe('Worker none has no prompt: workers/none/prompt.md is missing.');
    expectNothingPlanned(preview);
  });

  it('missing_prompt: a FIFO named prompt.md is reported without blocking, and a blank prompt past the first chunk is empty', () => {
    const root = fleetFolder({ fleet_name: 'fifo', workers: [{ id: 'pipe' }, { id: 'spaces' }, { id: 'late' }] }, {
      spaces: ' '.repeat(200_000),
      late: `${' '.repeat(200_000)}text at the end`,
    });
    fs.mkdirSync(path.join(root, 'workers', 'pipe'), { recursive: true });
    execFileSync('mkfifo', [path.join(root, 'workers', 'pipe', 'prompt.md')]);
    const preview = readFleetFolder(root);
    expect(preview.problems.map((problem) => [problem.workerId, problem.message])).toEqual([
      ['pipe', 'Worker pipe has no prompt: workers/pipe/prompt.md is not a file.'],
      ['spaces', 'Worker spaces has an empty prompt: workers/spaces/prompt.md has no text.'],
    ]);
  });

  it('unknown_worker_type and unknown_provider', () => {
    const preview = readFleetFolder(
      fleetFolder({ fleet_name: 'kinds', workers: [{ id: 'w1', type: 'wizard' }, { id: 'w2', provider: 'gemini' }] }, { w1: 'x', w2: 'y' }),
    );
    expect(codes(preview)).toEqual(['unknown_worker_type', 'unknown_provider']);
    expect(preview.problems[0]?.message).toContain('wizard, which is not a worker type (read-only, write, code-run');
    expect(preview.problems[1]?.message).toContain('gemini, which is not a provider (claude, codex, fixture)');
  });

  it('an unknown type or provider in config is the same named problem, for each worker that inherits it', () => {
    const preview = readFleetFolder(
      fleetFolder({ fleet_name: 'kinds', config: { type: 'wizard', provider: 'gemini' }, workers: [{ id: 'w1' }, { id: 'w2', type: 'write', provider: 'claude' }] }, { w1: 'x', w2: 'y' }),
    );
    expect(preview.problems.map((problem) => [problem.code, problem.workerId])).toEqual([
      ['unknown_worker_type', 'w1'],
      ['unknown_provider', 'w1'],
    ]);
  });

  it('codex_budget: on the worker, and inherited from the config', () => {
    const onWorker = readFleetFolder(
      fleetFolder({ fleet_name: 'cx', workers: [{ id: 'cx', provider: 'codex', max_budget_usd: 2 }, { id: 'cl', max_budget_usd: 2 }] }, { cx: 'x', cl: 'y' }),
    );
    expect(onWorker.problems).toEqual([
      {
        code: 'codex_budget',
        message: 'Codex has no budget cap: max_budget_usd cannot be enforced for worker cx; remove it.',
        workerId: 'cx',
        cycle: null,
      },
    ]);
    const inherited = readFleetFolder(
      fleetFolder({ fleet_name: 'cx2', config: { max_budget_usd: 1 }, workers: [{ id: 'cx', provider: 'codex' }, { id: 'cl' }] }, { cx: 'x', cl: 'y' }),
    );
    expect(codes(inherited)).toEqual(['codex_budget']);
    expect(inherited.problems[0]?.message).toContain("the config's max_budget_usd cannot be enforced for worker cx");
  });

  it('cycle of three: CYCLE:a,b,c in order, and reading created nothing', () => {
    const root = fleetFolder(
      {
        fleet_name: 'loop',
        workers: [
          { id: 'start' },
          { id: 'b', depends_on: ['a'] },
          { id: 'c', depends_on: ['b'] },
          { id: 'a', depends_on: ['c', 'start'] },
          { id: 'after', depends_on: ['c'] },
        ],
      },
      { start: 's', a: 'a', b: 'b', c: 'c', after: 'z' },
    );
    const before = tree(root);
    const preview = readFleetFolder(root);
    expect(preview.problems).toHaveLength(1);
    expect(preview.problems[0]).toMatchObject({ code: 'cycle', cycle: ['a', 'b', 'c'], workerId: 'a' });
    expect(preview.problems[0]?.message.startsWith('CYCLE:a,b,c')).toBe(true);
    expectNothingPlanned(preview);
    expect(tree(root)).toEqual(before);
    expect(before).not.toContain('workers/a/output/');
  });

  it('a self-dependency is a cycle of one, and reading created nothing', () => {
    const root = fleetFolder({ fleet_name: 'self', workers: [{ id: 'me', depends_on: ['me'] }] }, { me: 'x' });
    const before = tree(root);
    const preview = readFleetFolder(root);
    expect(preview.problems).toEqual([
      { code: 'cycle', message: 'CYCLE:me (worker me depends on itself)', workerId: 'me', cycle: ['me'] },
    ]);
    expect(tree(root)).toEqual(before);
  });

  it('reports every problem at once, not only the first', () => {
    const root = fleetFolder(
      {
        fleet_name: 'all',
        workers: [
          { id: 'x', depends_on: ['y'] },
          { id: 'y', depends_on: ['x', 'ghost'], type: 'wizard' },
          { id: 'y' },
          { id: 'z', provider: 'codex', max_budget_usd: 1 },
          { id: 'q', provider: 'bard' },
        ],
      },
      { x: 'x', z: 'z', q: 'q' },
    );
    const preview = readFleetFolder(root);
    expect(new Set(codes(preview))).toEqual(
      new Set(['duplicate_id', 'unknown_dependency', 'missing_prompt', 'unknown_worker_type', 'unknown_provider', 'codex_budget', 'cycle']),
    );
    expect(preview.problems.find((problem) => problem.code === 'cycle')?.cycle).toEqual(['x', 'y']);
    expectNothingPlanned(preview);
  });
});

describe('readFleetFolder never throws on what a fleet.json holds', () => {
  it(`returns a valid preview for ${FUZZ_RUNS} random fleet.json files (random JSON, near-fleets, and raw text)`, () => {
    const root = tempRoot();
    fs.mkdirSync(path.join(root, 'workers', 'w'), { recursive: true });
    fs.writeFileSync(path.join(root, 'workers', 'w', 'prompt.md'), 'x');
    const nearFleet = fc.record(
      {
        fleet_name: fc.oneof(fc.constant('fuzz'), fc.string()),
        config: fc.dictionary(fc.constantFrom('provider', 'max_concurrent', 'type', 'model', 'max_budget_usd', 'x'), fc.jsonValue()),
        workers: fc.array(
          fc.record(
            {
              id: fc.oneof(fc.constantFrom('w', 'v', '..', ''), fc.string()),
              depends_on: fc.oneof(fc.array(fc.constantFrom('w', 'v', 'u')), fc.jsonValue()),
              type: fc.oneof(fc.constantFrom('write', 'wizard'), fc.jsonValue()),
              provider: fc.constantFrom('claude', 'codex', 'fixture', 'bard'),
              max_budget_usd: fc.oneof(fc.double(), fc.jsonValue()),
            },
            { requiredKeys: [] },
          ),
          { maxLength: 5 },
        ),
      },
      { requiredKeys: [] },
    );
    const text = fc.oneof(fc.jsonValue().map((value) => JSON.stringify(value)), nearFleet.map((value) => JSON.stringify(value)), fc.string());
    fc.assert(
      fc.property(text, (content) => {
        fs.writeFileSync(path.join(root, 'fleet.json'), content);
        const preview = readFleetFolder(root);
        expect(fleetPreviewSchema.safeParse(preview).success).toBe(true);
        if (preview.problems.length > 0) expectNothingPlanned(preview);
        else expect(preview.workers.length).toBeGreaterThan(0);
        for (const problem of preview.problems) expect(problem.message.length).toBeLessThan(1_000);
      }),
      { numRuns: FUZZ_RUNS },
    );
    expect(tree(root)).toEqual(['fleet.json', 'workers/', 'workers/w/', 'workers/w/prompt.md']);
  });

  it(`a fleet.json nested ${DEEP_NESTING} deep is a named problem, not a crash`, () => {
    const deep = `${'['.repeat(DEEP_NESTING)}${']'.repeat(DEEP_NESTING)}`;
    for (const content of [deep, `{"fleet_name":"deep","workers":[{"id":"w"}],"extra":${deep}}`, `{"fleet_name":${deep},"workers":[{"id":"w"}]}`]) {
      const preview = readFleetFolder(fleetFolder(content, { w: 'x' }));
      expect(preview.problems.length + preview.workers.length).toBeGreaterThan(0);
      expect(fleetPreviewSchema.safeParse(preview).success).toBe(true);
    }
  });
});

describe('writeFleetFolder', () => {
  const compose = (root: string, overrides: Record<string, unknown> = {}) =>
    composeFleetInputSchema.parse({ root, file: diamond, prompts: diamondPrompts, ...overrides });

  it('writes exactly fleet.json and each workers/<id>/prompt.md, which read back with no problem', () => {
    const root = path.join(tempRoot(), 'new', 'fleet');
    writeFleetFolder(compose(root));
    expect(tree(root)).toEqual([
      'fleet.json',
      'workers/',
      'workers/a/',
      'workers/a/prompt.md',
      'workers/b/',
      'workers/b/prompt.md',
      'workers/c/',
      'workers/c/prompt.md',
      'workers/d/',
      'workers/d/prompt.md',
    ]);
    expect(fs.readFileSync(path.join(root, 'workers', 'b', 'prompt.md'), 'utf8')).toBe('Write.');
    const text = fs.readFileSync(path.join(root, 'fleet.json'), 'utf8');
    expect(text).toContain('\n  "fleet_name": "diamond"');
    const preview = readFleetFolder(root);
    expect(preview.problems).toEqual([]);
    expect(preview.layers).toEqual([['a'], ['b', 'c'], ['d']]);
  });

  it('keeps unknown keys at every level through a write and read round trip', () => {
    const root = tempRoot();
    const file = {
      ...diamond,
      owner_note: { keep: [1, 2] },
      config: { ...diamond.config, tmux_layout: 'tiled' },
      workers: diamond.workers.map((worker) => ({ ...worker, color: `c-${worker.id}` })),
    };
    writeFleetFolder(compose(root, { file }));
    const written = JSON.parse(fs.readFileSync(path.join(root, 'fleet.json'), 'utf8')) as typeof file;
    expect(written.owner_note).toEqual({ keep: [1, 2] });
    expect(written.config.tmux_layout).toBe('tiled');
    expect(written.workers.map((worker) => worker.color)).toEqual(['c-a', 'c-b', 'c-c', 'c-d']);
    expect(readFleetFolder(root).problems).toEqual([]);
  });

  it('refuses an existing fleet.json with fleet_exists and changes nothing, unless overwrite', () => {
    const root = fleetFolder({ fleet_name: 'old', workers: [{ id: 'a' }] }, { a: 'old prompt' });
    const before = fs.readFileSync(path.join(root, 'fleet.json'), 'utf8');
    expect(() => writeFleetFolder(compose(root))).toThrow(expect.objectContaining({ code: 'fleet_exists' }));
    expect(fs.readFileSync(path.join(root, 'fleet.json'), 'utf8')).toBe(before);
    expect(fs.readFileSync(path.join(root, 'workers', 'a', 'prompt.md'), 'utf8')).toBe('old prompt');
    expect(tree(root)).toEqual(['fleet.json', 'workers/', 'workers/a/', 'workers/a/prompt.md']);

    writeFleetFolder(compose(root, { overwrite: true }));
    expect(readFleetFolder(root).fleetName).toBe('diamond');
    expect(fs.readFileSync(path.join(root, 'workers', 'a', 'prompt.md'), 'utf8')).toBe('Find things.');
  });

  it('refuses a worker without a prompt, a prompt for no worker, and a relative root, writing nothing', () => {
    const root = tempRoot();
    const withoutD = Object.fromEntries(Object.entries(diamondPrompts).filter(([id]) => id !== 'd'));
    expect(() => writeFleetFolder(compose(root, { prompts: withoutD }))).toThrow(
      expect.objectContaining({ code: 'invalid_fleet_file', message: expect.stringContaining('Worker d has no prompt') }),
    );
    expect(() => writeFleetFolder(compose(root, { prompts: { ...diamondPrompts, stray: 'x' } }))).toThrow(
      expect.objectContaining({ code: 'invalid_fleet_file', message: expect.stringContaining('stray') }),
    );
    expect(() => writeFleetFolder(compose('relative/fleet'))).toThrow(expect.objectContaining({ code: 'invalid_input' }));
    expect(tree(root)).toEqual([]);
  });

  it('a root that is a file is a typed error, not a crash', () => {
    const file = path.join(tempRoot(), 'plain-file');
    fs.writeFileSync(file, 'not a folder');
    expect(() => writeFleetFolder(compose(file))).toThrow(expect.objectContaining({ code: 'invalid_input' }));
  });
});

describe('fleetPaths and workerPromptText', () => {
  it('names the seed paths under the fleet root', () => {
    expect(fleetPaths('/srv/fleet', 'writer')).toEqual({
      prompt: '/srv/fleet/workers/writer/prompt.md',
      outputDir: '/srv/fleet/workers/writer/output',
      sessionLog: '/srv/fleet/workers/writer/session.jsonl',
      sessionLogBak: '/srv/fleet/workers/writer/session.jsonl.bak',
    });
  });

  it('refuses a relative root or an id that could leave the workers folder', () => {
    expect(() => fleetPaths('fleet', 'w')).toThrow(expect.objectContaining({ code: 'invalid_input' }));
    expect(() => fleetPaths('/srv/fleet', '../w')).toThrow(expect.objectContaining({ code: 'invalid_input' }));
    expect(() => workerPromptText('/srv/fleet', 'a/b', 'x')).toThrow(expect.objectContaining({ code: 'invalid_input' }));
  });

  it("appends the seed's output line verbatim with the real root and id, once", () => {
    const line = 'Save ALL output files to /srv/fleet/workers/writer/output/ — use absolute paths.';
    expect(outputLine('/srv/fleet', 'writer')).toBe(line);
    expect(workerPromptText('/srv/fleet', 'writer', 'Write the summary.')).toBe(`Write the summary.\n\n${line}\n`);
    expect(workerPromptText('/srv/fleet/', 'writer', 'Write it.\n')).toBe(`Write it.\n\n${line}\n`);
    const already = `Intro.\n${line}\nMore.\n`;
    expect(workerPromptText('/srv/fleet', 'writer', already)).toBe(already);
    const placeholder = 'Save ALL output files to $FLEET_ROOT/workers/writer/output/ — use absolute paths.\n';
    expect(workerPromptText('/srv/fleet', 'writer', placeholder)).toBe(`${placeholder}\n${line}\n`);
  });
});

describe('the committed example fleet', () => {
  it('examples/hello-fleet reads with no problem: two researchers, a writer, a reviewer, max_concurrent 2', () => {
    const root = path.resolve(__dirname, '../../../examples/hello-fleet');
    const before = tree(root);
    const preview = readFleetFolder(root);
    expect(preview.problems).toEqual([]);
    expect(preview.maxConcurrent).toBe(2);
    expect(preview.layers).toEqual([['researcher-a', 'researcher-b'], ['writer'], ['reviewer']]);
    expect(preview.workers.every((worker) => worker.provider === 'fixture')).toBe(true);
    expect(tree(root)).toEqual(before);
  });
});
