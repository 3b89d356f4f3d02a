/**
 * Terminal flow control, after VS Code's pty host: the renderer acks after xterm has parsed. A pane's window sized for a pipe of about 10 M chars/s: the unacknowledged characters must cover
 * the acknowledgement round trip (xterm parse, ack invoke, resume, the worker's next write, one batch,
 * the WebSocket), which under load is tens of milliseconds. 100,000 drained the pipe on every pause
 * (about 0.45x of xterm alone). ackBatchChars stays at or under lowWatermarkChars, so what the pane
 * has parsed but not yet acknowledged can never hold a paused source paused.
 */
export const FLOW_CONTROL = {
  /** Unacknowledged characters above which the core pauses the worker's output (about 2 MB in the pane at most). */
  highWatermarkChars: 1_000_000,
  /** Unacknowledged characters below which the core resumes a paused worker: half a window still in flight. */
  lowWatermarkChars: 500_000,
  /** The renderer sends an ack once this many characters have been parsed: about 1,000 acks for 50 MB. */
  ackBatchChars: 50_000,
  /** Output is gathered this long before one event carries it, so small writes do not flood the bridge. */
  batchIntervalMs: 5,
} as const;

/** Scrollback the core keeps per pane for replay; older output stays in the transcript file on disk. */
export const SCROLLBACK_REPLAY_CHARS = 2_000_000;

/** The fixture worker's fixed usage for one turn: 800 + 200 + 40 + 10 = 1,050 exact tokens. */
export const FIXTURE_USAGE = {
  input_tokens: 800,
  output_tokens: 200,
  cache_read_input_tokens: 40,
  cache_creation_input_tokens: 10,
} as const;

/** The account ref recorded for no-spend fixture assignments: no provider account is involved. */
export const FIXTURE_ACCOUNT_REF = 'fixture';

/**
 * WebSocket close codes in the private-use range (4000-4999) so clients can say why the host ended a
 * connection. A bad token or a foreign Origin never gets this far: the upgrade is refused with an HTTP status.
 */
export const WS_CLOSE = {
  /** The connection let its unsent output grow past the host's limit (it stopped reading). */
  overloaded: 4429,
} as const;

/** The path on the headless host where the WebSocket lives. */
export const WS_PATH = '/ws';

/** Errors echo at most this many characters of what they got, so a 15 MB name never comes back whole. */
export const ECHO_PREFIX_CHARS = 64;

/**
 * A pane viewer whose unacknowledged output has stayed above the high watermark this long is detached
 * from flow control: one stalled tab must not stop a worker, and a live xterm acks within milliseconds.
 */
export const VIEWER_STALL_TIMEOUT_MS = 30_000;
