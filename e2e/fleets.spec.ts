import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { outputLine } from '../shared/fleets';
import { expect, test } from './support/board-host';

const ARTIFACTS = path.resolve('e2e/artifacts');

/** Long enough to see each scout running on the graph; short enough for a quick test. */
const SCOUT_MS = 4_000;
/** Long enough to kill it from the table while it runs, short enough to wait for its relaunch. */
const SLOW_MS = 10_000;

interface WorkerSpec {
  id: string;
  dependsOn?: string[];
  durationMs?: number;
}

/** A fleet folder as the seed lays it out: fleet.json and workers/<id>/prompt.md with the output line. */
function writeFleetFolder(name: string, workers: WorkerSpec[]): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'khala-e2e-fleet-'));
  const file = {
    fleet_name: name,
    config: { provider: 'fixture', max_concurrent: 3, fixture: { durationMs: SCOUT_MS } },
    workers: workers.map((worker) => ({
      id: worker.id,
      type: 'write',
      task: `task of ${worker.id}`,
      depends_on: worker.dependsOn ?? [],
      ...(worker.durationMs === undefined ? {} : { fixture: { durationMs: worker.durationMs } }),
    })),
  };
  writeFileSync(path.join(root, 'fleet.json'), JSON.stringify(file, null, 2));
  for (const worker of workers) {
    mkdirSync(path.join(root, 'workers', worker.id), { recursive: true });
    writeFileSync(path.join(root, 'workers', worker.id, 'prompt.md'), `Work on ${worker.id}.\n\n${outputLine(root, worker.id)}\n`);
  }
  return root;
}

async function openFleetFolder(page: Page, root: string) {
  await page.getByRole('button', { name: 'Fleets', exact: true }).click();
  await page.getByRole('button', { name: 'Open fleet folder' }).click();
  const dialog = page.getByRole('dialog', { name: 'Open fleet folder' });
  await dialog.getByLabel('Fleet folder (absolute path)').fill(root);
  await dialog.getByRole('button', { name: 'Check folder' }).click();
  return dialog;
}

test('a fleet folder: open, launch, watch the graph, kill and relaunch a worker, read the report', async ({ page, board }) => {
  const root = writeFleetFolder('e2e-fleet', [
    { id: 'scout-a' },
    { id: 'scout-b' },
    { id: 'slow', durationMs: SLOW_MS },
    { id: 'writer', dependsOn: ['scout-a', 'scout-b'] },
    { id: 'after-slow', dependsOn: ['slow'] },
  ]);
  await page.goto(board.url);
  const dialog = await openFleetFolder(page, root);
  const preview = dialog.getByRole('region', { name: 'Fleet preview' });
  await expect(preview.getByRole('list', { name: 'Layers' })).toContainText('Layer 1: scout-a, scout-b, slow');
  await expect(preview.getByRole('list', { name: 'Layers' })).toContainText('Layer 2: after-slow, writer');
  await preview.getByRole('button', { name: 'Launch' }).click();
  await expect(dialog).toBeHidden();

  const header = page.getByRole('region', { name: 'Fleet e2e-fleet' });
  await expect(header).toContainText('layer 1 of 2');

  // The graph: layer 1 runs while its dependents wait, then the writer runs and succeeds.
  const graph = page.getByLabel('Fleet graph');
  await expect(graph.getByRole('button', { name: 'Worker scout-a: running' })).toBeVisible();
  await expect(graph.getByRole('button', { name: 'Worker slow: running' })).toBeVisible();
  await expect(graph.getByRole('button', { name: 'Worker writer: waiting' })).toBeVisible();

  // Kill the slow worker from the table while it runs: it is killed and its dependent is blocked.
  await page.getByRole('tab', { name: 'Table' }).click();
  const table = page.getByRole('table', { name: 'Fleet workers' });
  const slowRow = table.getByRole('row', { name: 'Worker slow' });
  await slowRow.getByRole('button', { name: 'Kill slow' }).click();
  await expect(slowRow.getByText('killed', { exact: true })).toBeVisible();
  const afterRow = table.getByRole('row', { name: 'Worker after-slow' });
  await expect(afterRow.getByText('blocked', { exact: true })).toBeVisible();

  // The other branch goes on: the writer runs once both scouts succeeded.
  await page.getByRole('tab', { name: 'Graph' }).click();
  await expect(graph.getByRole('button', { name: 'Worker writer: succeeded' })).toBeVisible();
  await expect(graph.getByRole('button', { name: 'Worker slow: killed' })).toBeVisible();
  await expect(graph.getByRole('button', { name: 'Worker after-slow: blocked' })).toBeVisible();

  // A click on a node opens the worker's card pane.
  await graph.getByRole('button', { name: 'Worker scout-a: succeeded' }).click();
  await expect(page.getByRole('complementary', { name: 'Worker pane' })).toBeVisible();
  await page.keyboard.press('Escape');
  await page.screenshot({ path: path.join(ARTIFACTS, 'fleet-graph.png') });
  await page.getByRole('tab', { name: 'Table' }).click();

  // Edit its prompt, then relaunch it from the editor: it runs again and succeeds.
  await slowRow.getByRole('button', { name: 'Edit prompt of slow' }).click();
  const editor = page.getByRole('dialog', { name: 'Prompt of slow' });
  const prompt = editor.getByLabel('prompt.md');
  await expect(prompt).toHaveValue(/Work on slow\./);
  await prompt.fill(`Work on slow again, more briefly.\n\n${outputLine(root, 'slow')}\n`);
  await editor.getByRole('button', { name: 'Save prompt' }).click();
  await editor.getByRole('button', { name: 'Relaunch slow' }).click();
  await expect(editor).toBeHidden();
  expect(readFileSync(path.join(root, 'workers', 'slow', 'prompt.md'), 'utf8')).toContain('more briefly');
  await expect(slowRow.getByText('running', { exact: true })).toBeVisible();
  await expect(slowRow.getByText('succeeded', { exact: true })).toBeVisible();
  expect(existsSync(path.join(root, 'workers', 'slow', 'session.jsonl.bak'))).toBe(true);

  // Its dependent stays blocked until the operator relaunches it too.
  await expect(afterRow.getByText('blocked', { exact: true })).toBeVisible();
  await afterRow.getByRole('button', { name: 'Relaunch after-slow' }).click();
  await expect(afterRow.getByText('succeeded', { exact: true })).toBeVisible();
  await expect(header.getByText('finished', { exact: true })).toBeVisible();
  await page.screenshot({ path: path.join(ARTIFACTS, 'fleet-table.png') });

  // The feed holds every worker's lines, and filters to one.
  await page.getByRole('tab', { name: 'Feed' }).click();
  const feed = page.getByRole('list', { name: 'Feed lines' });
  for (const id of ['scout-a', 'scout-b', 'slow', 'writer', 'after-slow']) await expect(feed).toContainText(id);
  await page.getByRole('region', { name: 'Fleet feed' }).getByLabel('Worker').selectOption('writer');
  await expect(feed.getByRole('listitem').filter({ hasNotText: 'writer' })).toHaveCount(0);
  await page.screenshot({ path: path.join(ARTIFACTS, 'fleet-feed.png') });

  // The report names every worker and the totals, and is saved in the fleet root.
  await header.getByRole('button', { name: 'Report' }).click();
  const report = page.getByRole('region', { name: 'Fleet report' });
  await expect(report).toContainText('## Totals');
  for (const id of ['scout-a', 'scout-b', 'slow', 'writer', 'after-slow']) await expect(report).toContainText(`### ${id}`);
  await expect(report).toContainText('- Workers: 5');
  await expect(report).toContainText(path.join(root, 'report.md'));
  expect(readFileSync(path.join(root, 'report.md'), 'utf8')).toContain('## Totals');

  // The list shows the fleet with its layer progress.
  await page.getByRole('button', { name: 'All fleets' }).click();
  const row = page.getByRole('table', { name: 'Fleets' }).getByRole('row').filter({ hasText: 'e2e-fleet' });
  await expect(row).toContainText('2 of 2 layers done');
  await expect(row).toContainText('5 succeeded');
});

test('a fleet folder with a cycle names it in words and offers no Launch', async ({ page, board }) => {
  const root = writeFleetFolder('e2e-cycle', [
    { id: 'a', dependsOn: ['c'] },
    { id: 'b', dependsOn: ['a'] },
    { id: 'c', dependsOn: ['b'] },
    { id: 'free' },
  ]);
  await page.goto(board.url);
  const dialog = await openFleetFolder(page, root);
  const preview = dialog.getByRole('region', { name: 'Fleet preview' });
  await expect(preview.getByRole('alert')).toContainText('This fleet cannot launch');
  await expect(preview.getByRole('alert')).toContainText(/These workers depend on each other in a cycle: (a → b → c → a|b → c → a → b|c → a → b → c)/);
  await expect(dialog.getByRole('button', { name: 'Launch' })).toHaveCount(0);
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(page.getByText('No fleets yet.')).toBeVisible();
  expect(existsSync(path.join(root, 'workers', 'a', 'output'))).toBe(false);
});

test('New fleet writes the folder, names a problem next to its worker, then launches', async ({ page, board }) => {
  const root = path.join(mkdtempSync(path.join(os.tmpdir(), 'khala-e2e-compose-')), 'composed');
  await page.goto(board.url);
  await page.getByRole('button', { name: 'Fleets', exact: true }).click();
  await page.getByRole('button', { name: 'New fleet' }).click();
  const dialog = page.getByRole('dialog', { name: 'New fleet' });
  const fleet = dialog.getByRole('group', { name: 'Fleet' });
  await fleet.getByLabel('Fleet folder (absolute path)').fill(root);
  await fleet.getByLabel('Fleet name').fill('composed');
  await fleet.getByLabel('Provider').selectOption('fixture');

  const first = dialog.getByRole('group', { name: 'Worker worker-1' });
  await first.getByLabel('Id', { exact: true }).fill('scout');
  const scout = dialog.getByRole('group', { name: 'Worker scout' });
  await scout.getByLabel('Task').fill('look around');
  await scout.getByLabel('Prompt').fill('Look around and write notes.');
  // Codex has no budget cap: the core says so next to the worker instead of ignoring it.
  await scout.getByLabel('Provider').selectOption('codex');
  await scout.getByLabel('Budget (USD)').fill('1');
  await dialog.getByRole('button', { name: 'Add worker' }).click();
  const writer = dialog.getByRole('group', { name: 'Worker worker-2' });
  await writer.getByRole('checkbox', { name: 'scout' }).check();
  await dialog.getByRole('button', { name: 'Write fleet folder' }).click();
  await expect(scout.getByRole('alert')).toContainText(/budget/i);
  await expect(dialog.getByRole('button', { name: 'Launch' })).toHaveCount(0);

  await scout.getByLabel('Provider').selectOption('');
  await scout.getByLabel('Budget (USD)').fill('');
  await fleet.getByLabel('Replace an existing fleet.json').check();
  await dialog.getByRole('button', { name: 'Write fleet folder' }).click();
  const layers = dialog.getByRole('list', { name: 'Layers' });
  await expect(layers).toContainText('Layer 1: scout');
  await expect(layers).toContainText('Layer 2: worker-2');
  const written = JSON.parse(readFileSync(path.join(root, 'fleet.json'), 'utf8')) as { workers: { id: string; depends_on: string[] }[] };
  expect(written.workers.map((worker) => [worker.id, worker.depends_on])).toEqual([
    ['scout', []],
    ['worker-2', ['scout']],
  ]);
  expect(readFileSync(path.join(root, 'workers', 'scout', 'prompt.md'), 'utf8')).toContain(outputLine(root, 'scout'));

  await dialog.getByRole('button', { name: 'Launch' }).click();
  await expect(dialog).toBeHidden();
  const graph = page.getByLabel('Fleet graph');
  await expect(graph.getByRole('button', { name: 'Worker worker-2: succeeded' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Fleet composed' }).getByText('finished', { exact: true })).toBeVisible();
});

test('Kill all asks first, then kills every running worker and leaves the rest unstarted', async ({ page, board }) => {
  const root = writeFleetFolder('e2e-kill-all', [
    { id: 'long-a', durationMs: SLOW_MS },
    { id: 'long-b', durationMs: SLOW_MS },
    { id: 'next', dependsOn: ['long-a'] },
  ]);
  await page.goto(board.url);
  const dialog = await openFleetFolder(page, root);
  await dialog.getByRole('button', { name: 'Launch' }).click();
  const graph = page.getByLabel('Fleet graph');
  await expect(graph.getByRole('button', { name: 'Worker long-a: running' })).toBeVisible();
  await expect(graph.getByRole('button', { name: 'Worker long-b: running' })).toBeVisible();

  const header = page.getByRole('region', { name: 'Fleet e2e-kill-all' });
  await header.getByRole('button', { name: 'Kill all' }).click();
  const confirm = page.getByRole('alertdialog', { name: 'Kill all of e2e-kill-all?' });
  await confirm.getByRole('button', { name: 'Keep running' }).click();
  await expect(confirm).toBeHidden();
  await expect(graph.getByRole('button', { name: 'Worker long-a: running' })).toBeVisible();

  await header.getByRole('button', { name: 'Kill all' }).click();
  await confirm.getByRole('button', { name: 'Kill all' }).click();
  await expect(confirm).toBeHidden();
  await expect(graph.getByRole('button', { name: 'Worker long-a: killed' })).toBeVisible();
  await expect(graph.getByRole('button', { name: 'Worker long-b: killed' })).toBeVisible();
  await expect(graph.getByRole('button', { name: /^Worker next: (blocked|killed)$/ })).toBeVisible();
  await expect(header.getByText('killed', { exact: true })).toBeVisible();
  await expect(header.getByRole('button', { name: 'Kill all' })).toBeDisabled();
});
