import { describe, expect, it } from 'vitest';
import { fleetDetailSchema, type FleetDetail, type FleetTokens, type FleetWorkerView } from '../../../shared/fleets';
import { fleetReportMarkdown, fleetTotals } from './report';

function tokens(input: number, output: number, reasoning: number, cacheRead: number, cacheWrite: number): FleetTokens {
  return { input, output, reasoning, cacheRead, cacheWrite, total: input + output + reasoning + cacheRead + cacheWrite };
}

function worker(partial: Partial<FleetWorkerView> & Pick<FleetWorkerView, 'id' | 'state'>): FleetWorkerView {
  return {
    type: 'research',
    task: '',
    provider: 'claude',
    model: null,
    reasoningEffort: null,
    maxTurns: null,
    maxBudgetUsd: null,
    dependsOn: [],
    layer: 0,
    reason: null,
    assignmentId: null,
    relaunches: 0,
    startedAt: null,
    endedAt: null,
    turns: 0,
    tokens: tokens(0, 0, 0, 0, 0),
    spend: { usd: 0, truth: 'none', priceTable: null },
    lastMessage: '',
    lastActivityAt: null,
    ...partial,
  };
}

const workers: FleetWorkerView[] = [
  worker({
    id: 'claude-a',
    state: 'succeeded',
    model: 'sonnet',
    startedAt: '2026-06-01T10:00:00.000Z',
    endedAt: '2026-06-01T10:02:05.000Z',
    turns: 3,
    tokens: tokens(1_200, 800, 0, 40_000, 2_000),
    spend: { usd: 0.12, truth: 'exact', priceTable: null },
    lastMessage: 'Wrote facts.md | three facts\nwith sources',
  }),
  worker({
    id: 'codex-b',
    state: 'succeeded',
    provider: 'codex',
    model: 'gpt-5.4',
    startedAt: '2026-06-01T10:00:01.000Z',
    endedAt: '2026-06-01T11:01:02.000Z',
    turns: 2,
    tokens: tokens(12_000, 900, 400, 30_000, 0),
    spend: { usd: 0.4, truth: 'estimate', priceTable: 'openai-list-2026-06' },
    lastMessage: 'token sk-ant-api03-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA done',
  }),
  worker({
    id: 'failing',
    state: 'failed',
    model: 'haiku',
    startedAt: '2026-06-01T10:00:02.000Z',
    endedAt: '2026-06-01T10:00:09.000Z',
    turns: 1,
    tokens: tokens(300, 20, 0, 0, 0),
    spend: { usd: 0.004, truth: 'exact', priceTable: null },
    reason: 'worker_failed: the result was an error',
  }),
  worker({
    id: 'writer',
    state: 'blocked',
    type: 'write',
    dependsOn: ['claude-a', 'failing'],
    layer: 1,
    reason: 'dependency_failed: failing failed',
  }),
  worker({
    id: 'long-runner',
    state: 'running',
    provider: 'fixture',
    startedAt: '2026-06-01T10:00:00.000Z',
    turns: 4,
    tokens: tokens(50, 5, 0, 0, 0),
  }),
];

const detail: FleetDetail = fleetDetailSchema.parse({
  summary: {
    id: 'fleet-1',
    name: 'ocean',
    root: '/srv/fleets/ocean',
    state: 'running',
    layersDone: 0,
    layerCount: 2,
    counts: { waiting: 0, ready: 0, running: 1, succeeded: 2, failed: 1, killed: 0, blocked: 1, held: 0 },
    maxConcurrent: 2,
    spend: { usd: 0.524, truth: 'estimate', priceTable: 'openai-list-2026-06' },
    maxBudgetFleet: 5,
    budgetReached: false,
    createdAt: '2026-06-01T09:59:00.000Z',
    endedAt: null,
  },
  workers,
  layers: [['claude-a', 'codex-b', 'failing', 'long-runner'], ['writer']],
  ascii: '',
  mermaid: '',
});

const extras = {
  generatedAt: '2026-06-01T10:10:00.000Z',
  outputFiles: { 'claude-a': ['facts.md', 'notes/raw.md'], 'codex-b': ['facts.md'] },
};

describe('fleetReportMarkdown', () => {
  const report = fleetReportMarkdown(detail, extras);

  it('totals equal the sum of the workers figures', () => {
    const totals = fleetTotals(detail.workers);
    const sum = (pick: (view: FleetWorkerView) => number) => detail.workers.reduce((acc, view) => acc + pick(view), 0);
    for (const key of ['input', 'output', 'reasoning', 'cacheRead', 'cacheWrite', 'total'] as const) {
      expect(totals.tokens[key]).toBe(sum((view) => view.tokens[key]));
    }
    expect(totals.turns).toBe(10);
    expect(totals.exactUsd).toBeCloseTo(0.124, 12);
    expect(totals.exactWorkers).toBe(2);
    expect(totals.estimatedUsd).toBeCloseTo(0.4, 12);
    expect(totals.estimatedWorkers).toBe(1);
    expect(totals.priceTables).toEqual(['openai-list-2026-06']);
    expect(totals.unmeasuredWorkers).toBe(2);
    expect(totals.counts).toMatchObject({ succeeded: 2, failed: 1, blocked: 1, running: 1, killed: 0 });

    expect(report).toContain(
      `- Tokens: ${sum((v) => v.tokens.input).toLocaleString('en-US')} in, ${sum((v) => v.tokens.output).toLocaleString('en-US')} out, 400 reasoning, 70,000 cache read, 2,000 cache write, 87,675 total`,
    );
    expect(report).toContain('- Exact spend (reported by the provider): $0.12 over 2 workers');
    expect(report).toContain('- Estimated spend: ~$0.40 estimate (openai-list-2026-06) over 1 worker');
    expect(report).toContain('- Not measured: 2 workers');
    expect(report).toContain('- Workers: 5 (running 1, succeeded 2, failed 1, blocked 1)');
    expect(report).toContain('- Turns: 10');
    expect(report).toContain('- Fleet budget: $5.00, not reached');
  });

  it('gives each cost its truth: exact, estimate with its table, or not measured', () => {
    expect(report).toContain('| claude-a | 0 | succeeded | 2m 5s | 3 | 1,200 / 800 / 0 / 40,000 / 2,000 | $0.12 exact |');
    expect(report).toContain('| codex-b | 0 | succeeded | 1h 1m 1s | 2 | 12,000 / 900 / 400 / 30,000 / 0 | ~$0.40 estimate (openai-list-2026-06) |');
    expect(report).toContain('| failing | 0 | failed | 7s | 1 | 300 / 20 / 0 / 0 / 0 | $0.0040 exact |');
    expect(report).toContain('| writer | 1 | blocked | not started | 0 | 0 / 0 / 0 / 0 / 0 | not measured |');
    expect(report).toContain('| long-runner | 0 | running | 10m 0s so far | 4 | 50 / 5 / 0 / 0 / 0 | not measured |');
    expect(report).not.toMatch(/estimate[^\n]*exact|exact[^\n]*estimate/);
  });

  it('lists output files, failures and blockers with their reasons', () => {
    expect(report).toContain('- Output files:\n  - `facts.md`\n  - `notes/raw.md`');
    expect(report).toMatch(/### writer\n[\s\S]*?- Output files: none/);
    expect(report).toContain('## Failures and blockers\n\n- failing: failed (worker_failed: the result was an error)\n- writer: blocked (dependency_failed: failing failed)\n');
    expect(report).toContain('- Depends on: claude-a, failing');
  });

  it('keeps a last message to one masked line', () => {
    expect(report).toContain('- Last message: Wrote facts.md | three facts with sources');
    expect(report).toContain('sk-ant-api03-…[masked]');
    expect(report).not.toContain('AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
  });

  it('is deterministic: the same detail and time give the same text', () => {
    expect(fleetReportMarkdown(structuredClone(detail), structuredClone(extras))).toBe(report);
    expect(report.startsWith('# Fleet report: ocean\n\n- Root: `/srv/fleets/ocean`\n- Fleet state: running\n- Layers done: 0 of 2\n- Generated: 2026-06-01T10:10:00.000Z\n')).toBe(true);
  });

  it('an empty fleet run says none rather than leaving gaps', () => {
    const quiet = fleetReportMarkdown({ ...detail, summary: { ...detail.summary, maxBudgetFleet: null }, workers: [] }, { generatedAt: 'now', outputFiles: {} });
    expect(quiet).toContain('## Failures and blockers\n\nNone.');
    expect(quiet).toContain('- Workers: 0 (none)');
    expect(quiet).toContain('- Estimated spend: none');
    expect(quiet).toContain('- Fleet budget: none');
  });
});
