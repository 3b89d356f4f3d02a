/**
 * The last line of defence: an error that escapes every socket's, stream's and child's own error
 * path is written to the log with its stack, and the host stays up for the workers it holds.
 */

/** Starts every line the guard writes, so tests (and the owner) can find an escaped error in a log. */
export const PROCESS_GUARD_MARK = '[khala host: uncaught error kept the host up]';

export type GuardLog = (line: string) => void;

const writeToStderr: GuardLog = (line) => {
  process.stderr.write(line);
};

function describe(error: unknown): string {
  if (error instanceof Error) return error.stack ?? `${error.name}: ${error.message}`;
  return String(error);
}

/**
 * Listening for 'uncaughtException' keeps Node from exiting on it; that is the point here.
 * Returns the function that removes the guard (tests install and remove it).
 */
export function installProcessGuard(log: GuardLog = writeToStderr): () => void {
  const onException = (error: unknown, origin: string) => {
    log(`${PROCESS_GUARD_MARK} ${origin}: ${describe(error).replace(/\n/g, '\n  ')}\n`);
  };
  const onRejection = (reason: unknown) => onException(reason, 'unhandledRejection');
  process.on('uncaughtException', onException);
  process.on('unhandledRejection', onRejection);
  return () => {
    process.off('uncaughtException', onException);
    process.off('unhandledRejection', onRejection);
  };
}
