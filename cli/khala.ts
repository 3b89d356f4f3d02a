/**
 * `khala`: every fleet operation from a terminal, on the same typed contract as the board. It talks to
 * the running host through host.json; `khala serve` starts a headless one, `khala mcp` serves agents.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Command, CommanderError } from 'commander';
import { FleetError } from '../shared/errors';
import { resolveDataDir } from './data-dir';
import { CliFailure, EXIT, type ExitCode } from './failure';
import { runMcpServer } from './mcp-server';
import { serveVerb } from './serve';
import { verbResult } from './verb';
import { accountVerbs } from './verbs/accounts';
import { dagVerbs } from './verbs/dag';
import { runVerbs } from './verbs/runs';
import { taskVerbs } from './verbs/tasks';

/** Commander's own "not an error" exits: help and version were asked for. */
const HELP_EXITS: ReadonlySet<string> = new Set(['commander.helpDisplayed', 'commander.help', 'commander.version']);

function packageVersion(): string {
  try {
    return (JSON.parse(readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

function program(version: string): Command {
  const khala = new Command('khala')
    .description('Khala Fleet Board from a terminal: accounts, tasks, runs, the Inbox and DAG fleets')
    .version(version)
    .option('--data-dir <path>', 'the data dir of the host to talk to (default: KHALA_DATA_DIR, KHALA_HOME or the per-OS folder)')
    .exitOverride()
    .showHelpAfterError('(add --help for usage)');
  khala.addCommand(accountVerbs());
  for (const command of taskVerbs()) khala.addCommand(command);
  for (const command of runVerbs()) khala.addCommand(command);
  khala.addCommand(dagVerbs());
  khala.addCommand(serveVerb());
  khala.addCommand(
    new Command('mcp')
      .description('An MCP server over stdio for agents (khala_fleet tools); spawns and runs wait for your approval in the Inbox')
      .action(async (_options: unknown, self: Command) => {
        await runMcpServer(resolveDataDir(self.optsWithGlobals<{ dataDir?: string }>().dataDir), version);
      }),
  );
  // Subcommands made before exitOverride was set on the root inherit nothing: set it on every one.
  const everyCommand = (command: Command): Command[] => [command, ...command.commands.flatMap(everyCommand)];
  for (const command of everyCommand(khala)) command.exitOverride();
  return khala;
}

/** Prints a failure in words (never a stack) and returns its exit code. With --json it is one JSON line on stderr. */
function report(error: unknown, json: boolean): ExitCode {
  if (error instanceof CommanderError) return HELP_EXITS.has(error.code) ? EXIT.ok : EXIT.invalidInput;
  const failure =
    error instanceof CliFailure
      ? error
      : error instanceof FleetError
        ? CliFailure.fromFleetError(error.toValue())
        : new CliFailure('internal', `khala failed unexpectedly: ${error instanceof Error ? error.message : String(error)}`);
  process.stderr.write(json ? `${JSON.stringify({ error: { code: failure.code, message: failure.message } })}\n` : `${failure.message}\n`);
  return failure.exitCode;
}

async function main(argv: string[]): Promise<void> {
  try {
    await program(packageVersion()).parseAsync(argv);
    process.exitCode = verbResult.exitCode;
  } catch (error) {
    process.exitCode = report(error, argv.includes('--json'));
  }
}

void main(process.argv);
