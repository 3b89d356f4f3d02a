import './review.css';
import type { CleanupResult, MergeWave } from '../../shared/review';
import { BusyButton } from '../app/BusyButton';
import { ErrorNote } from '../app/ErrorNote';
import { useReviewUi } from './review-ui';
import { waveSummary } from './review-text';
import { useCleanup, useMergeWave, useResolveConflict, useResumeWave, useWaves } from './use-review';

/** The Board's review controls: a merge wave over the picked cards (or the run's finished work), its progress, and cleanup. */
export function ReviewBar({ runId }: { runId: string | null }) {
  const selected = useReviewUi((state) => state.selected);
  const clearSelected = useReviewUi((state) => state.clearSelected);
  const merge = useMergeWave();
  const cleanup = useCleanup();
  const waves = useWaves();
  const latest = waves.data?.find((wave) => runId === null || wave.runId === runId);

  return (
    <section className="review-bar" aria-label="Review and merge">
      <div className="head-actions">
        <BusyButton
          className="primary"
          disabled={selected.length === 0}
          busy={merge.isPending}
          busyText="Starting the wave…"
          onClick={() => merge.mutate({ assignmentIds: selected }, { onSuccess: clearSelected })}
        >
          Merge selected ({selected.length})
        </BusyButton>
        {runId !== null && (
          <BusyButton busy={merge.isPending} onClick={() => merge.mutate({ runId })}>
            Merge the run's finished work
          </BusyButton>
        )}
        <BusyButton busy={cleanup.isPending} busyText="Cleaning up…" onClick={() => cleanup.mutate({ ...(runId !== null ? { runId } : {}), force: false })}>
          Clean up merged
        </BusyButton>
      </div>
      {merge.isError && <ErrorNote error={merge.error} />}
      {cleanup.isError && <ErrorNote error={cleanup.error} />}
      {cleanup.data && <CleanupNote result={cleanup.data} />}
      {latest && <WavePanel wave={latest} />}
    </section>
  );
}

function CleanupNote({ result }: { result: CleanupResult }) {
  return (
    <div role="status" className="cleanup-note">
      <p>
        Removed {result.removed.length} worktrees and branches{result.kept.length > 0 ? `; kept ${result.kept.length}` : ''}.
      </p>
      {result.kept.length > 0 && (
        <ul aria-label="Kept">
          {result.kept.map((kept) => (
            <li key={kept.assignmentId}>
              {kept.branch}: {kept.reason}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function WavePanel({ wave }: { wave: MergeWave }) {
  const resume = useResumeWave();
  const resolve = useResolveConflict();
  const stopped = wave.state !== 'running' && wave.state !== 'completed';
  return (
    <section className={`wave wave-${wave.state}`} aria-label="Merge wave">
      <p className="wave-summary">{waveSummary(wave)}</p>
      {wave.conflictFiles.length > 0 && <p>Conflicting files: {wave.conflictFiles.join(', ')}</p>}
      <ol className="wave-steps">
        {wave.steps.map((step) => (
          <li key={step.assignmentId} className={`wave-step step-${step.state}`}>
            {step.issueNumber !== null ? `#${step.issueNumber} ` : ''}
            {step.title}: {step.state.replace('_', ' ')}
            {step.detail && step.state !== 'pending' ? ` (${step.detail})` : ''}
          </li>
        ))}
      </ol>
      {resume.isError && <ErrorNote error={resume.error} />}
      {resolve.isError && <ErrorNote error={resolve.error} />}
      {stopped && (
        <div className="head-actions">
          {wave.state === 'conflict' && (
            <BusyButton className="primary" busy={resolve.isPending} onClick={() => resolve.mutate(wave.id)}>
              Ask the worker to resolve
            </BusyButton>
          )}
          <BusyButton busy={resume.isPending} onClick={() => resume.mutate(wave.id)}>
            Resume wave
          </BusyButton>
        </div>
      )}
    </section>
  );
}
