import { FleetError } from '../../../shared/errors';
import { RECENT_REPOSITORIES_MAX, type FirstRunGuide, type FolderCompletion, type RecentRepository, type RepositoryInfo } from '../../../shared/repos';
import type { Connection } from '../connection';
import { currentBranch, localBranches } from '../git/branches';
import { pinRepo } from '../git/repo';
import { completeFolder } from './folder-completion';
import type { RepoStore } from './repo-store';

/** The desktop shell's folder dialog: the folder the owner chose, or null when the dialog was cancelled. */
export type FolderChooser = (startIn: string) => Promise<string | null>;

/**
 * The branches the board makes for its own workers (`fleet/<task or run>/<slug>`): a repository soon
 * holds dozens, and work starts from the owner's branches, so the branch list leaves them out.
 */
const WORKER_BRANCH_PREFIX = 'fleet/';

/** The first-run guide's name among the dismissed guides. */
const FIRST_RUN_GUIDE = 'first-run';

/** Where work starts: recent repositories, a picked folder's branches and remembered verify command, the first-run guide. */
export class RepoService {
  constructor(
    private readonly deps: {
      store: RepoStore;
      /** The owner's home: path completion lists folders inside it only. */
      home: string;
      /** Set by the desktop shell; browser mode has none. */
      chooseFolder: FolderChooser | null;
    },
  ) {}

  recent(): RecentRepository[] {
    return this.deps.store.recent(RECENT_REPOSITORIES_MAX);
  }

  /** Remembers a repository work just started in (its top-level folder) with the verify command used. */
  used(root: string, verifyCommand: string): void {
    this.deps.store.used(root, verifyCommand);
  }

  /**
   * A folder as a repository: its top, current branch and the owner's branches (never the workers').
   * A missing folder, a plain folder and a repository with no commits are typed errors.
   */
  async describe(repoPath: string): Promise<RepositoryInfo> {
    const { root } = await pinRepo(repoPath);
    const [current, all] = await Promise.all([currentBranch(root), localBranches(root)]);
    const branches = all.filter((branch) => branch === current || !branch.startsWith(WORKER_BRANCH_PREFIX));
    return { root, currentBranch: current, branches, verifyCommand: this.deps.store.verifyCommandOf(root) };
  }

  complete(typed: string): Promise<FolderCompletion> {
    return completeFolder(typed, this.deps.home);
  }

  /**
   * Opens the desktop app's folder dialog. Only the app's own window may open it: a browser page on
   * the same host would put a dialog in front of whoever sits at the desktop.
   */
  async chooseFolder(connection: Connection): Promise<{ path: string | null }> {
    const { chooseFolder } = this.deps;
    if (chooseFolder === null || connection.transport !== 'ipc') {
      throw new FleetError('folder_dialog_unavailable', 'A folder dialog opens only in the desktop app: type the path instead.');
    }
    return { path: await chooseFolder(this.recent()[0]?.path ?? this.deps.home) };
  }

  firstRunGuide(): FirstRunGuide {
    return { dismissed: this.deps.store.guideDismissed(FIRST_RUN_GUIDE) };
  }

  dismissFirstRunGuide(): FirstRunGuide {
    this.deps.store.dismissGuide(FIRST_RUN_GUIDE);
    return this.firstRunGuide();
  }
}
