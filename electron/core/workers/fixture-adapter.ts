import { fixtureOptionsSchema } from '../../../shared/contract';
import type { NodeLauncher } from '../core';
import type { WorkerAdapter } from './adapter';
import { parseClaudeLine } from './claude-stream';
import { workerEnvironment } from './environment';

/** The fixture speaks Claude's stream-json, so it is read with the same parser as the real CLI. */
export function fixtureAdapter(script: string, node: NodeLauncher): WorkerAdapter {
  return {
    kind: 'fixture',
    provider: 'fixture',
    // The fixture's scripted session cannot be resumed.
    resumable: false,
    launch(assignment, context) {
      const options = fixtureOptionsSchema.parse(assignment.options);
      const args = [script, '-p', '--output-format', 'stream-json', '--verbose'];
      args.push('--duration-ms', String(options.durationMs));
      if (options.fail) args.push('--fail');
      if (options.crash) args.push('--crash');
      if (options.floodBytes > 0) args.push('--flood-bytes', String(options.floodBytes));
      return {
        command: node.command,
        args,
        env: workerEnvironment(context.privateHome, node.env),
        cwd: assignment.worktreePath,
        // Read from stdin like `claude -p`, so the fixture proves the same path the real CLIs take.
        stdin: assignment.prompt,
      };
    },
    parseLine: parseClaudeLine,
  };
}
