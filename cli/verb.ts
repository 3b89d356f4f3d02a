import type { Command } from 'commander';
import { resolveDataDir } from './data-dir';
import { EXIT, type ExitCode } from './failure';
import { HostClient } from './host-client';
import { createOutput, type Output } from './output';

/** What every verb's body gets: where the data lives, how to print, and a host connection on demand. */
export interface VerbContext {
  dataDir: string;
  out: Output;
  /** Connects on first use (a verb that never needs the host, like `dag viz`, never connects). */
  host(): Promise<HostClient>;
  /** Resolves when the owner presses Ctrl-C (or the process is asked to stop): following verbs end then. */
  readonly interrupted: Promise<void>;
}

export type VerbBody = (context: VerbContext, args: string[], options: Record<string, unknown>) => Promise<ExitCode | void>;

/** The exit code the finished verb chose; main() exits with it once the verb's connection is closed. */
export const verbResult: { exitCode: ExitCode } = { exitCode: EXIT.ok };

/**
 * Gives a command the options every verb has (`--json`) and runs its body with a context. The body
 * throws CliFailure for a typed failure; main() prints it and picks the exit code.
 */
export function verb(command: Command, body: VerbBody): Command {
  return command.option('--json', 'print machine-readable JSON').action(async (...all: unknown[]) => {
    const self = all.at(-1) as Command;
    const options = self.optsWithGlobals<Record<string, unknown>>();
    const args = all.slice(0, -2).flatMap((arg) => (arg === undefined ? [] : Array.isArray(arg) ? arg.map(String) : [String(arg)]));
    const dataDir = resolveDataDir(options.dataDir as string | undefined);
    let client: HostClient | null = null;
    let onSignal: (() => void) | null = null;
    let interrupted: Promise<void> | null = null;
    const context: VerbContext = {
      dataDir,
      out: createOutput(options.json === true),
      host: async () => (client ??= await HostClient.connect(dataDir)),
      // Only a verb that waits for Ctrl-C takes it over; any other verb is stopped by it as usual.
      get interrupted() {
        interrupted ??= new Promise<void>((resolve) => {
          onSignal = () => resolve();
          process.once('SIGINT', onSignal);
          process.once('SIGTERM', onSignal);
        });
        return interrupted;
      },
    };
    try {
      verbResult.exitCode = (await body(context, args, options)) ?? EXIT.ok;
    } finally {
      (client as HostClient | null)?.close();
      if (onSignal) {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
    }
  });
}
