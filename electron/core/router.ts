import { z } from 'zod';
import {
  commands,
  isCommandName,
  type CommandName,
  type CommandOutput,
  type ParsedCommandInput,
} from '../../shared/contract';
import { FleetError, type Result } from '../../shared/errors';
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

/** Parses every input with its schema before a handler sees it: the faces are untrusted. */
export function createRouter(handlers: Handlers, log: Logger): Router {
  return {
    async invoke(command, input, connection) {
      if (!isCommandName(command)) {
        return fail('unknown_command', `There is no command named ${JSON.stringify(String(command))}.`);
      }
      const spec = commands[command];
      const parsed = spec.input.safeParse(input ?? {});
      if (!parsed.success) {
        return fail('invalid_input', `${command}: ${z.prettifyError(parsed.error)}`);
      }
      try {
        const handler = handlers[command] as (input: unknown, connection: Connection) => unknown;
        const output = await handler(parsed.data, connection);
        return { ok: true, value: spec.output.parse(output) };
      } catch (error) {
        if (error instanceof FleetError) return { ok: false, error: error.toValue() };
        log(`${command} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
        return fail('internal', `${command} failed inside the core: ${error instanceof Error ? error.message : String(error)}`);
      }
    },
  };
}

function fail(code: FleetError['code'], message: string): Result<never> {
  return { ok: false, error: { code, message } };
}
