import type { ErrorCode, FleetErrorValue } from '../../shared/errors';

/** A rejected invoke: the typed `{ code, message }` the core (or the transport) answered with. */
export class BridgeError extends Error {
  readonly code: ErrorCode;

  constructor(value: FleetErrorValue) {
    super(value.message);
    this.name = 'BridgeError';
    this.code = value.code;
  }
}

export function hostUnavailable(message: string): BridgeError {
  return new BridgeError({ code: 'host_unavailable', message });
}

/** What the owner sees for any failure: the message in words, never the code or a stack. */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The code behind a failure, for tests and logs: it is never shown as text. */
export function errorCode(error: unknown): ErrorCode {
  return error instanceof BridgeError ? error.code : 'internal';
}

/** The banner already announces a lost host, so other places show that quietly. */
export function isHostUnavailable(error: unknown): boolean {
  return error instanceof BridgeError && error.code === 'host_unavailable';
}
