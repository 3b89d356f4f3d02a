import { Command } from 'commander';
import { ROTATE_TOKEN_FLAG, startHeadlessHost, stopHeadlessHost, STOP_WORKERS_FLAG, workerFateOf } from '../electron/host/headless';
import { installProcessGuard } from '../electron/host/process-guard';
import { CliFailure, EXIT } from './failure';
import { intFlag } from './input';
import { verb } from './verb';

/** The highest TCP port. */
const MAX_PORT = 65_535;

/**
 * `khala serve`: the headless host (the same core as browser mode, the host lock, host.json), running
 * until Ctrl-C or SIGTERM. It prints the board's URL; every other verb finds it through host.json.
 * Like browser mode, it leaves running workers running when it stops unless told --stop-workers.
 */
export function serveVerb(): Command {
  return verb(
    new Command('serve')
      .description('Start a headless host on the data dir (no window); the other verbs and the board talk to it')
      .option('--port <port>', 'the loopback port (default: a free one)', '0')
      .option('--start-fresh', 'move an unrecognized store aside and start with an empty one')
      .option(ROTATE_TOKEN_FLAG, 'hand out a new token: board URLs given out before stop working')
      .option(STOP_WORKERS_FLAG, 'on Ctrl-C, stop the running workers too (by default they keep running and the next start re-adopts them)'),
    async (context, _args, options) => {
      const port = intFlag(options.port, '--port') ?? 0;
      if (port < 0 || port > MAX_PORT) throw CliFailure.invalidInput(`--port: expected 0 to ${MAX_PORT}, got ${port}`);
      installProcessGuard();
      const started = await startHeadlessHost({
        dataDir: context.dataDir,
        outDir: __dirname,
        port,
        startFresh: options.startFresh === true,
        rotateToken: options.rotateToken === true,
        codexIssuer: process.env.KHALA_CODEX_ISSUER || null,
        say: (line) => process.stdout.write(line),
      });
      const info = { dataDir: context.dataDir, boardUrl: started.host.boardUrl, pid: process.pid };
      if (context.out.json) process.stdout.write(`${JSON.stringify(info)}\n`);
      else process.stdout.write(`Khala host (headless), data in ${context.dataDir}\n${started.host.boardUrl}\nStop it with Ctrl-C.\n`);
      await context.interrupted;
      // Browser mode's stop, with its rule for the workers: they keep running unless --stop-workers.
      const said = await stopHeadlessHost(started, workerFateOf(process.argv.slice(2)));
      if (context.out.json) context.out.note(said.trimEnd());
      else process.stdout.write(said);
      return EXIT.ok;
    },
  );
}
