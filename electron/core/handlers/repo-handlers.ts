import type { RepoService } from '../repos/repo-service';
import type { HandlerGroup } from '../router';

type RepoCommands = 'repos.recent' | 'repos.describe' | 'repos.complete' | 'repos.chooseFolder' | 'firstRun.get' | 'firstRun.dismiss';

export function repoHandlers(repos: RepoService): HandlerGroup<RepoCommands> {
  return {
    'repos.recent': () => repos.recent(),
    'repos.describe': ({ repoPath }) => repos.describe(repoPath),
    'repos.complete': ({ typed }) => repos.complete(typed),
    'repos.chooseFolder': (_input, connection) => repos.chooseFolder(connection),
    'firstRun.get': () => repos.firstRunGuide(),
    'firstRun.dismiss': () => repos.dismissFirstRunGuide(),
  };
}
