import type { ReviewService } from '../review/review-service';
import type { HandlerGroup } from '../router';

type ReviewCommands =
  | 'review.diff'
  | 'review.createPr'
  | 'review.mergeWave'
  | 'review.resumeWave'
  | 'review.resolveConflict'
  | 'review.waves'
  | 'review.cleanup';

export function reviewHandlers(review: ReviewService): HandlerGroup<ReviewCommands> {
  return {
    'review.diff': ({ assignmentId }) => review.diff(assignmentId),
    'review.createPr': ({ assignmentId }) => review.createPr(assignmentId),
    'review.mergeWave': (input) => review.mergeWave(input),
    'review.resumeWave': ({ waveId }) => review.resumeWave(waveId),
    'review.resolveConflict': ({ waveId }) => review.resolveConflict(waveId),
    'review.waves': () => review.waves(),
    'review.cleanup': (input) => review.cleanup(input),
  };
}
