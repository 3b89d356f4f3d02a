import { spawn } from 'node:child_process';
import { maskSecrets } from '../../../shared/secret-mask';
import { VERIFY_OUTPUT_KEEP_CHARS, VERIFY_TIMEOUT_MS } from '../assignments/verify';
import { ownerEnvironment } from '../workers/environment';
import { signalGroup } from '../workers/process-group';

export interface IntegratedVerify {
  passed: boolean;
  exitCode: number | null;
  /** The tail of what it printed, masked. */
  output: string;
}

/**
 * Runs an assignment's verify command on the integrated state: in a clean worktree of the base
 * branch with the merge applied, through the shell, with the owner's environment (as the
 * assignment's own verify ran), under the same time limit.
 */
export function verifyIntegrated(command: string, cwd: string): Promise<IntegratedVerify> {
  return new Promise((resolve) => {
    let output = '';
    const keep = (text: string) => {
      output = (output + text).slice(-VERIFY_OUTPUT_KEEP_CHARS);
    };
    const child = spawn('sh', ['-c', command], { cwd, env: ownerEnvironment(), detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.setEncoding('utf8').on('data', keep);
    child.stderr.setEncoding('utf8').on('data', keep);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      signalGroup(child, 'SIGKILL');
    }, VERIFY_TIMEOUT_MS);
    const settle = (exitCode: number | null) => {
      clearTimeout(timer);
      if (timedOut) keep(`verify stopped after ${VERIFY_TIMEOUT_MS} ms\n`);
      resolve({ passed: exitCode === 0 && !timedOut, exitCode, output: maskSecrets(output) });
    };
    child.on('error', (error) => {
      keep(`${error.message}\n`);
      settle(null);
    });
    child.on('close', (code) => settle(code));
  });
}
