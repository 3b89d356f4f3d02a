import { FleetError } from '../../../shared/errors';
import { providerEnvironment } from '../accounts/homes';
import type { WorkerAdapter } from './adapter';
import { parseClaudeLine } from './claude-stream';
import { providerOptionsSchema } from './provider-options';
import { CLAUDE_DISALLOWED_TOOLS, CLAUDE_TOOLS } from './worker-types';

/**
 * `claude -p` in stream-json. Headless workers cannot answer permission prompts, so the tools their
 * type allows are pre-approved and edits accepted (bypassPermissions is refused when run as root).
 */
export function claudeAdapter(extraEnv: Record<string, string>): WorkerAdapter {
  return {
    kind: 'claude',
    provider: 'anthropic',
    resumable: true,
    launch(assignment, context) {
      if (!context.account) throw new FleetError('no_ready_account', `Assignment ${assignment.id} has no Claude account.`);
      const options = providerOptionsSchema.parse(assignment.options);
      const disallowed = CLAUDE_DISALLOWED_TOOLS[assignment.workerType];
      const allowed = CLAUDE_TOOLS.filter((tool) => !disallowed.includes(tool));
      // `-p` with no prompt argument reads the prompt from stdin.
      const args = ['-p', '--output-format', 'stream-json', '--verbose', '--permission-mode', 'acceptEdits'];
      if (allowed.length > 0) args.push('--allowedTools', allowed.join(' '));
      args.push('--disallowedTools', disallowed.join(' '));
      // `--flag=value`: a value that starts with `-` (a model name, a session id the worker printed) stays a value.
      if (assignment.model) args.push(`--model=${assignment.model}`);
      if (options.maxTurns) args.push('--max-turns', String(options.maxTurns));
      if (options.maxBudgetUsd) args.push('--max-budget-usd', String(options.maxBudgetUsd));
      if (context.followUp) args.push(`--resume=${context.followUp.sessionRef}`);
      return {
        command: context.account.cli,
        args,
        env: providerEnvironment('claude', context.account.home, { ...context.account.env, ...extraEnv }),
        cwd: assignment.worktreePath,
        stdin: context.followUp?.prompt ?? assignment.prompt,
      };
    },
    parseLine: parseClaudeLine,
  };
}
