import type { NewRunInput } from '../../shared/runs';
import { makeTempRepo } from './temp-repo';

/**
 * A run of fixture units on a fresh temp repository, one at a time, no spend: what most run tests start
 * from, each overriding only the fields its case is about.
 */
export function fixtureRunInput(overrides: Partial<NewRunInput> = {}): NewRunInput {
  return {
    name: 'Fixture sweep',
    source: { kind: 'fixture', units: 3 },
    repoPath: overrides.repoPath ?? makeTempRepo(),
    branch: 'main',
    verifyCommand: 'true',
    workerKind: 'fixture',
    workerType: 'code-run',
    targetConcurrency: 1,
    maxPerAccount: 1,
    stopCondition: 'backlog_empty',
    fixtureDurationMs: 300,
    ...overrides,
  };
}
