import { z } from 'zod';
import {
  commands,
  isCommandName,
  type CommandName,
  type CommandOutput,
  type ParsedCommandInput,
} from '../../shared/contract';
import { ECHO_PREFIX_CHARS } from '../../shared/constants';
import { FleetError, type Result } from '../../shared/errors';
import { maskSecrets } from '../../shared/secret-mask';
import type { Connection } from './connection';

export type Handler<K extends CommandName> = (
  input: ParsedCommandInput<K>,
  connection: Connection,
) => CommandOutput<K> | Promise<CommandOutput<K>>;

/** One handler per contract command: leaving one out is a compile error. */
export type Handlers = { [K in CommandName]: Handler<K> };

/** A domain's share of the handlers, merged into one typed map (Actual Budget's habit). */
export type HandlerGroup<K extends CommandName> = { [P in K]: Handler<P> };

export interface Router {
  invoke(command: unknown, input: unknown, connection: Connection): Promise<Result<unknown>>;
}

export type Logger = (message: string) => void;

/**
 * Every error message that leaves the core is cut to this many characters: enough for each field's
 * issue in a full form, never a whole bad value echoed back by a handler.
 */
export const MAX_ERROR_MESSAGE_CHARS = 1_000;

/** Wide enough to hold the longest secret shape whole (a PEM private key), so a cut never splits one unmasked. */
const ECHO_MASK_WINDOW_CHARS = 8 * 1024;

/** At most `max` characters of `text`, secrets masked, with "…" when it was cut. */
export function echoPrefix(text: string, max = ECHO_PREFIX_CHARS): string {
  const window = text.slice(0, max + ECHO_MASK_WINDOW_CHARS);
  const masked = maskSecrets(window);
  return masked.length <= max && window.length === text.length ? masked : `${masked.slice(0, max)}…`;
}

/** Parses every input with its schema before a handler sees it: the faces are untrusted. */
export function createRouter(handlers: Handlers, log: Logger): Router {
  return {
    async invoke(command, input, connection) {
      if (!isCommandName(command)) {
        const name = typeof command === 'string' ? command : typeof command;
        return fail('unknown_command', `There is no command named ${JSON.stringify(echoPrefix(name))}.`);
      }
      try {
        const spec = commands[command];
        // Inside the try: a hostile input nested deep enough can overflow the stack of any parser.
        const parsed = spec.input.safeParse(input ?? {});
        if (!parsed.success) {
          return fail('invalid_input', echoPrefix(`${command}: ${describeIssues(parsed.error)}`, MAX_ERROR_MESSAGE_CHARS));
        }
        const handler = handlers[command] as (input: unknown, connection: Connection) => unknown;
        const output = await handler(parsed.data, connection);
        return { ok: true, value: spec.output.parse(output) };
      } catch (error) {
        if (error instanceof FleetError) return fail(error.code, echoPrefix(error.message, MAX_ERROR_MESSAGE_CHARS));
        log(`${command} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
        return fail('internal', echoPrefix(`${command} failed inside the core: ${error instanceof Error ? error.message : String(error)}`, MAX_ERROR_MESSAGE_CHARS));
      }
    },
  };
}

/** Zod's words for each issue, with every echoed key in a path cut to a short prefix. */
function describeIssues(error: z.ZodError): string {
  const issues = error.issues.map((issue) => ({
    ...issue,
    path: issue.path.map((key) => (typeof key === 'string' ? echoPrefix(key) : key)),
    ...(issue.code === 'unrecognized_keys' ? { keys: issue.keys.map((key) => echoPrefix(key)) } : {}),
  }));
  return z.prettifyError(new z.ZodError(issues));
}

function fail(code: FleetError['code'], message: string): Result<never> {
  return { ok: false, error: { code, message } };
}
