import { FleetError } from '../../../shared/errors';
import { providerEnvironment } from '../accounts/homes';
import type { WorkerAdapter } from './adapter';
import { parseCodexLine } from './codex-stream';
import { providerOptionsSchema } from './provider-options';
import { CODEX_SANDBOX } from './worker-types';

/** `codex exec --json` (or `codex exec resume <thread>` for a follow-up) in the account's CODEX_HOME. */
export function codexAdapter(extraEnv: Record<string, string>): WorkerAdapter {
  return {
    kind: 'codex',
    provider: 'openai',
    resumable: true,
    launch(assignment, context) {
      if (!context.account) throw new FleetError('no_ready_account', `Assignment ${assignment.id} has no Codex account.`);
      const options = providerOptionsSchema.parse(assignment.options);
      const limits = CODEX_SANDBOX[assignment.workerType];
      // `exec resume` takes neither -s nor -C: the sandbox goes in as config and the cwd is the spawn's.
      const args = context.followUp
        ? ['exec', 'resume', '--json', '--skip-git-repo-check', '-c', `sandbox_mode="${limits.sandbox}"`]
        : ['exec', '--json', '--skip-git-repo-check', '-s', limits.sandbox, '-C', assignment.worktreePath];
      // `--model=value`: a model name that starts with `-` stays a value.
      if (assignment.model) args.push(`--model=${assignment.model}`);
      if (options.reasoningEffort) args.push('-c', `model_reasoning_effort="${options.reasoningEffort}"`);
      if (limits.webSearch) args.push('-c', 'web_search="live"');
      // `-` as the prompt reads it from stdin; `--` ends the flags, so nothing after it is parsed as one.
      if (context.followUp) args.push('--', context.followUp.sessionRef, '-');
      else args.push('--', '-');
      return {
        command: context.account.cli,
        args,
        env: providerEnvironment('codex', context.account.home, { ...context.account.env, ...extraEnv }),
        cwd: assignment.worktreePath,
        stdin: context.followUp?.prompt ?? assignment.prompt,
      };
    },
    parseLine: parseCodexLine,
  };
}
