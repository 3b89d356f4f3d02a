import { execFile } from 'node:child_process';

/** A diff of tens of thousands of lines is a few MB; a larger one is cut per file long before this. */
const GIT_OUTPUT_MAX_BYTES = 256 * 1024 * 1024;
/** git's words in an error are shown to the owner; a page of them is enough to act on. */
const GIT_OUTPUT_SHOWN_CHARS = 4_000;

export interface GitOutcome {
  ok: boolean;
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs git and hands back its outcome, whatever it is: a merge that conflicts or a push that is
 * rejected is an answer the caller reads, not an exception. Never prompts (credentials, editor).
 */
export function runGit(cwd: string, args: string[], env: Record<string, string> = {}): Promise<GitOutcome> {
  return new Promise((resolve) => {
    execFile(
      'git',
      args,
      {
        cwd,
        maxBuffer: GIT_OUTPUT_MAX_BYTES,
        env: { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_EDITOR: 'true', GIT_MERGE_AUTOEDIT: 'no', GCM_INTERACTIVE: 'never', GIT_ASKPASS: '', SSH_ASKPASS: '', ...env },
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof (error as { code?: unknown }).code === 'number' ? ((error as { code: number }).code) : null) : 0;
        resolve({ ok: !error, code, stdout: String(stdout), stderr: String(stderr || (error && !stderr ? error.message : '')) });
      },
    );
  });
}

/** git's own words for a failure: its stderr, else its stdout. */
export function gitOutput(outcome: GitOutcome): string {
  return (outcome.stderr.trim() || outcome.stdout.trim()).slice(0, GIT_OUTPUT_SHOWN_CHARS);
}
