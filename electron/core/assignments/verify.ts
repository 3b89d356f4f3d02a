/** A verify command that runs longer than this is stopped and counts as failed. */
export const VERIFY_TIMEOUT_MS = 15 * 60 * 1000;
/** The tail of the verify output kept as evidence in the store (the pane shows all of it). */
export const VERIFY_OUTPUT_KEEP_CHARS = 64 * 1024;
