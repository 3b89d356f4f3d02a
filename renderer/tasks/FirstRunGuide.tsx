import { useState, type ReactNode } from 'react';
import type { Card } from '../../shared/domain';
import { BusyButton } from '../app/BusyButton';
import { ErrorNote } from '../app/ErrorNote';
import { useAccounts, useCards, useRuns } from '../data/queries';
import { RepoPicker } from '../repos/RepoPicker';
import { useDismissFirstRunGuide, useFirstRunGuide, useRepositoryInfo } from '../repos/use-repos';
import { useUiStore } from '../state/ui-store';
import { GUIDE_TASK, guideStep } from './first-run';
import { initialTaskForm, parseTaskForm } from './task-form';
import { useCreateTask } from './use-task-commands';
import '../repos/repos.css';

type StepMark = 'done' | 'current' | 'later';

/** From an empty board to a finished fixture assignment, in three steps; no account needed. */
export function FirstRunGuide() {
  const guide = useFirstRunGuide();
  const accounts = useAccounts();
  const runs = useRuns();
  const cards = useCards();
  const dismiss = useDismissFirstRunGuide();
  const where = guideStep({
    dismissed: guide.data?.dismissed,
    accounts: accounts.data?.length,
    runs: runs.data?.length,
    cards: cards.data,
  });
  if (where.step === 'hidden') return null;
  const card = where.step === 'start' ? null : where.card;
  const marks: [StepMark, StepMark, StepMark] =
    where.step === 'start' ? ['current', 'later', 'later'] : where.step === 'watch' ? ['done', 'done', 'current'] : ['done', 'done', 'done'];

  return (
    <section className="first-run" aria-labelledby="first-run-title">
      <h2 id="first-run-title">Getting started</h2>
      <p>Three steps from an empty board to a finished assignment. No account is needed and nothing is spent.</p>
      {card === null ? (
        <StartSteps marks={marks} />
      ) : (
        <ol>
          <Step mark={marks[0]} title="Pick a repository">
            <p className="muted">{card.repo.path}</p>
          </Step>
          <Step mark={marks[1]} title="Start a fixture task">
            <p className="muted">Started as “{card.workUnit.title}”.</p>
          </Step>
          <Step mark={marks[2]} title="Watch it finish">
            <WatchStep card={card} />
          </Step>
        </ol>
      )}
      <p>Then connect a Claude or Codex account in Accounts to give real agents work.</p>
      <div className="first-run-actions">
        <BusyButton className={where.step === 'finished' ? 'primary' : undefined} busy={dismiss.isPending} onClick={() => dismiss.mutate()}>
          Close guide
        </BusyButton>
        {dismiss.isError && <ErrorNote error={dismiss.error} />}
      </div>
    </section>
  );
}

function Step({ mark, title, children }: { mark: StepMark; title: string; children: ReactNode }) {
  return (
    <li className={`step-${mark}`} aria-current={mark === 'current' ? 'step' : undefined}>
      <span className="first-run-step-title">{title}</span>
      {mark === 'done' && <span className="visually-hidden"> (done)</span>}
      {children}
    </li>
  );
}

/** Steps one and two: the repository, then the fixture task that starts in it. */
function StartSteps({ marks }: { marks: [StepMark, StepMark, StepMark] }) {
  const [repoPath, setRepoPath] = useState('');
  const [problem, setProblem] = useState<string | undefined>(undefined);
  const repository = useRepositoryInfo(repoPath);
  const createTask = useCreateTask();

  const start = () => {
    const parsed = parseTaskForm({
      ...initialTaskForm,
      title: GUIDE_TASK.title,
      repoPath,
      prompt: GUIDE_TASK.prompt,
      verifyCommand: GUIDE_TASK.verifyCommand,
      workerKind: 'fixture',
      durationMs: String(GUIDE_TASK.durationMs),
    });
    if (!parsed.ok) {
      setProblem(parsed.problems.repoPath ?? parsed.problems.form);
      return;
    }
    setProblem(undefined);
    createTask.mutate(parsed.input);
  };

  return (
    <ol>
      <Step mark={marks[0]} title="Pick a repository">
        <p className="muted">
          Any git repository with a commit. The worker gets a worktree of its own and never touches your checkout.
        </p>
        <RepoPicker
          label="Repository for the first task"
          value={repoPath}
          onChange={(path) => {
            setRepoPath(path);
            setProblem(undefined);
          }}
          problem={problem}
          repository={repository}
        />
      </Step>
      <Step mark={marks[1]} title="Start a fixture task">
        <p className="muted">
          A fixture worker is a scripted stand-in for an agent: it needs no account and spends nothing. It writes the task
          into FIXTURE.md, and <code>{GUIDE_TASK.verifyCommand}</code> verifies it.
        </p>
        <div className="first-run-actions">
          <BusyButton className="primary" busy={createTask.isPending} busyText="Starting…" disabled={repoPath.trim() === ''} onClick={start}>
            Start a fixture task
          </BusyButton>
        </div>
        {createTask.isError && <ErrorNote error={createTask.error} />}
      </Step>
      <Step mark={marks[2]} title="Watch it finish">
        <p className="muted">Its card moves across the board as it works, and its pane shows the worker live.</p>
      </Step>
    </ol>
  );
}

/** Step three: the guide's task as it runs, and how it ended. */
function WatchStep({ card }: { card: Card }) {
  const openPane = useUiStore((state) => state.openPane);
  const finished = card.status === 'closed';
  return (
    <>
      <p role="status">
        {!finished && 'The fixture worker is at work. '}
        {finished && card.state === 'done' && `Finished: the worker wrote FIXTURE.md, ${GUIDE_TASK.verifyCommand} passed, and every closeout check holds.`}
        {finished && card.state !== 'done' && 'It did not finish cleanly: its pane and closeout say why.'}
      </p>
      <div className="first-run-actions">
        <button type="button" onClick={() => openPane(card.assignmentId)}>
          Open its pane
        </button>
      </div>
    </>
  );
}
