import type { FleetErrorValue } from '../shared/errors';

/** The exit codes every verb keeps: scripts branch on them. */
export const EXIT = {
  ok: 0,
  /** The command ran and failed (a refused control, an unfinished closeout, no host). */
  failed: 1,
  /** What was typed is not valid (a flag, a value, a fleet with a cycle): nothing was sent or started. */
  invalidInput: 2,
} as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** Error codes that mean the input itself was wrong, so the exit is 2 rather than 1. */
const INVALID_INPUT_CODES: ReadonlySet<string> = new Set(['invalid_input', 'invalid_ref', 'fleet_cycle', 'invalid_fleet_file']);

/**
 * A failure in words the owner reads (the board's own), with the contract's code for `--json`. The
 * CLI prints only these: anything else is reported as an internal error without its stack.
 */
export class CliFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly exitCode: ExitCode = EXIT.failed,
  ) {
    super(message);
    this.name = 'CliFailure';
  }

  static fromFleetError(error: FleetErrorValue): CliFailure {
    return new CliFailure(error.code, error.message, INVALID_INPUT_CODES.has(error.code) ? EXIT.invalidInput : EXIT.failed);
  }

  static invalidInput(message: string): CliFailure {
    return new CliFailure('invalid_input', message, EXIT.invalidInput);
  }
}
