import type { WorkSourceConfig } from '../../../shared/runs';
import { fixtureSource } from './fixture-source';
import { githubSource, githubToken } from './github-source';
import { taskListSource } from './task-list-source';
import type { WorkSource } from './work-source';

/** The source a run's config describes. A GitHub source takes its token from `env` or gh's login now, once. */
export function createWorkSource(config: WorkSourceConfig, env: NodeJS.ProcessEnv = process.env): WorkSource {
  switch (config.kind) {
    case 'github':
      return githubSource(config, { token: githubToken(env, undefined, config.apiBaseUrl) });
    case 'task_list':
      return taskListSource(config);
    case 'fixture':
      return fixtureSource(config);
  }
}
