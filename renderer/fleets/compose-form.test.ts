import { describe, expect, it } from 'vitest';
import { composeFleetInputSchema, outputLine } from '../../shared/fleets';
import {
  initialComposeValues,
  newWorkerRow,
  parseComposeForm,
  promptWithOutputLine,
  removeWorker,
  renameWorker,
  type ComposeValues,
  type WorkerRow,
} from './compose-form';

function rows(): WorkerRow[] {
  const a = { ...newWorkerRow(0, []), id: 'a', prompt: 'Research A.' };
  const b = { ...newWorkerRow(1, [a]), id: 'b', provider: 'codex', model: 'gpt-5.4-mini', maxTurns: '12' };
  const synth = { ...newWorkerRow(2, [a, b]), id: 'synth', dependsOn: ['a', 'b'], maxBudgetUsd: '1.5', task: ' merge ' };
  return [a, b, synth];
}

function values(overrides: Partial<ComposeValues> = {}): ComposeValues {
  return { ...initialComposeValues(), root: '/tmp/fleet/', fleetName: 'research', maxBudgetFleet: '5', workers: rows(), ...overrides };
}

describe('parseComposeForm', () => {
  it("writes the seed's fleet.json fields and a prompt for every worker with the output line in it", () => {
    const parsed = parseComposeForm(values());
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    expect(composeFleetInputSchema.safeParse(parsed.input).success).toBe(true);
    expect(parsed.input.root).toBe('/tmp/fleet');
    expect(parsed.input.file.config).toEqual({ provider: 'fixture', max_concurrent: 2, max_budget_fleet: 5 });
    expect(parsed.input.file.workers).toEqual([
      { id: 'a', type: 'write', task: '', depends_on: [] },
      { id: 'b', type: 'write', task: '', depends_on: [], provider: 'codex', model: 'gpt-5.4-mini', max_turns: 12 },
      { id: 'synth', type: 'write', task: 'merge', depends_on: ['a', 'b'], max_budget_usd: 1.5 },
    ]);
    expect(parsed.input.prompts.a).toBe(`Research A.\n\n${outputLine('/tmp/fleet', 'a')}\n`);
    expect(parsed.input.prompts.synth).toBe(`${outputLine('/tmp/fleet', 'synth')}\n`);
  });

  it('names each problem the form can see, next to its field or its worker', () => {
    const [a, b] = rows();
    const parsed = parseComposeForm(
      values({
        root: 'relative/path',
        fleetName: '../x',
        maxConcurrent: '1.5',
        maxBudgetFleet: '-1',
        workers: [a!, { ...b!, id: 'a', maxTurns: 'ten', maxBudgetUsd: '0' }, { ...b!, key: 9, id: '../up' }],
      }),
    );
    if (parsed.ok) throw new Error('a form with problems parsed');
    expect(Object.keys(parsed.problems.fleet).sort()).toEqual(['fleetName', 'maxBudgetFleet', 'maxConcurrent', 'root']);
    expect(parsed.problems.workers[0]).toEqual(['Another worker is also called a.']);
    expect(parsed.problems.workers[1]).toHaveLength(3);
    expect(parsed.problems.workers[9]?.[0]).toMatch(/^The id is/);
  });

  it('refuses a fleet with no workers', () => {
    const parsed = parseComposeForm(values({ workers: [] }));
    expect(parsed.ok ? null : parsed.problems.fleet.workers).toBe('A fleet needs at least one worker.');
  });
});

describe('worker rows', () => {
  it('keeps dependents pointing at a renamed worker and drops a removed one', () => {
    const renamed = renameWorker(rows(), 0, 'alpha');
    expect(renamed.map((row) => row.id)).toEqual(['alpha', 'b', 'synth']);
    expect(renamed[2]?.dependsOn).toEqual(['alpha', 'b']);
    expect(removeWorker(renamed, 1)[1]?.dependsOn).toEqual(['alpha']);
  });

  it('gives a new row the next free id', () => {
    const existing = [{ ...newWorkerRow(0, []), id: 'worker-2' }];
    expect(newWorkerRow(1, existing).id).toBe('worker-3');
  });

  it('adds the output line once', () => {
    const once = promptWithOutputLine('Do it.', '/f', 'w');
    expect(promptWithOutputLine(once, '/f', 'w')).toBe(once);
  });
});
