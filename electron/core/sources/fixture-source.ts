import type { WorkSourceConfig } from '../../../shared/runs';
import type { WorkSource, WorkUnitCandidate } from './work-source';

type FixtureConfig = Extract<WorkSourceConfig, { kind: 'fixture' }>;

/** `units` open units for no-spend runs: fixture workers play a script and change nothing. */
export function fixtureSource(config: FixtureConfig): WorkSource {
  return {
    config,
    list: async () =>
      Array.from({ length: config.units }, (_, index): WorkUnitCandidate => {
        const number = index + 1;
        return {
          key: `fixture:${number}`,
          number,
          title: `Fixture unit ${number}`,
          prompt: `Fixture unit ${number}: a scripted no-spend run; there is nothing to change.`,
          labels: [],
          state: 'open',
          pullRequest: null,
          dependsOn: [],
          url: null,
        };
      }),
  };
}
