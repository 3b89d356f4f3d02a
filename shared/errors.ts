import { z } from 'zod';

/** Every error that crosses the contract boundary carries one of these codes, never a stack. */
export const errorCodes = [
  'unknown_command',
  'invalid_input',
  'unauthorized',
  'repo_not_found',
  'not_a_git_repo',
  'repo_has_no_commits',
  'worktree_failed',
  'already_claimed',
  'assignment_not_found',
  'worker_spawn_failed',
  'host_unavailable',
  'cli_missing',
  'cli_failed',
  'cli_timeout',
  'cli_unexpected_output',
  'account_not_found',
  'account_exists',
  'invalid_ref',
  'login_not_found',
  'login_not_active',
  'secret_store_failed',
  'no_ready_account',
  'assignment_not_running',
  'assignment_not_finished',
  'worktree_dirty',
  'shell_not_found',
  'run_not_found',
  'inbox_item_not_found',
  'control_not_allowed',
  'invalid_fleet_file',
  'source_unavailable',
  'supervisor_locked',
  /** Another host (desktop app or browser mode) is running on this data dir; the message names it. */
  'host_running',
  /** A connection has too many invokes pending or too much unsent output: it must slow down. */
  'overloaded',
  /** The data dir's disk is full: new dispatch is paused, running workers are kept. */
  'disk_full',
  /** The data dir's store is not the one this data dir's runs and worktrees belong to. */
  'store_unrecognized',
  /** The data dir's permissions are looser than owner-only and could not be tightened. */
  'data_dir_insecure',
  /** A fleet's dependencies form a cycle; the message starts `CYCLE:a,b,c` with its members in order. */
  'fleet_cycle',
  'fleet_not_found',
  /** A fleet with this name is already registered (for another root). */
  'fleet_exists',
  'fleet_worker_not_found',
  /** The repository is not on the branch or commit the request pinned; nothing was started. */
  'pin_mismatch',
  'spawn_not_found',
  /** The spawn was already approved or declined: each request is decided once. */
  'spawn_not_pending',
  /** The repository has no remote to push the branch to. */
  'push_no_remote',
  /** The remote refused the push (not a fast-forward, a hook); the message carries git's output. */
  'push_rejected',
  /** The remote wants credentials this host does not have; the message carries git's output. */
  'push_no_credentials',
  'push_failed',
  /** GitHub refused or could not be reached while opening or merging a pull request. */
  'github_failed',
  /** A merge conflicted; the message names the files. */
  'merge_conflict',
  'wave_not_found',
  /** A merge wave is already running on this repository. */
  'wave_running',
  /** Folder completion lists folders inside the owner's home only; the typed path leads out of it. */
  'path_outside_home',
  /** The folder dialog is the desktop app's; browser mode types the path. */
  'folder_dialog_unavailable',
  'internal',
] as const;

export const errorCodeSchema = z.enum(errorCodes);
export type ErrorCode = z.infer<typeof errorCodeSchema>;

export const fleetErrorSchema = z.object({
  code: errorCodeSchema,
  message: z.string(),
});
export type FleetErrorValue = z.infer<typeof fleetErrorSchema>;

/** Thrown inside the core, turned into a `{ code, message }` value by the router. */
export class FleetError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = 'FleetError';
    this.code = code;
  }

  toValue(): FleetErrorValue {
    return { code: this.code, message: this.message };
  }
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: FleetErrorValue };
