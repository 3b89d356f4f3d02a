import { Command, Option } from 'commander';
import { createInterface } from 'node:readline';
import type { Login, Provider } from '../../shared/accounts';
import type { HostClient } from '../host-client';
import { CliFailure, EXIT } from '../failure';
import { orDash, table } from '../output';
import { verb, type VerbContext } from '../verb';

/** Each harness's login in a terminal: Codex's device code, Claude's browser login with a pasted code. */
const LOGIN_METHOD: Record<Provider, 'device' | 'browser'> = { codex: 'device', claude: 'browser' };
const ENDED: ReadonlySet<Login['state']> = new Set(['approved', 'failed', 'expired', 'cancelled']);

export function accountVerbs(): Command {
  const fleet = new Command('fleet').description('Accounts: connect one, see the inventory');

  verb(
    fleet
      .command('connect')
      .description('Log an account in, in its own isolated home (the device login: a link and a code)')
      .addOption(new Option('--harness <provider>', 'which CLI the account runs').choices(['codex', 'claude']).default('codex'))
      .option('--account <ref>', 'the ref to give it (default: the next free one, e.g. codex-2)'),
    async (context, _args, options) => {
      const provider = options.harness as Provider;
      const client = await context.host();
      const updates: Login[] = [];
      let wake: (() => void) | null = null;
      const stop = client.on('login.updated', (login) => {
        updates.push(login);
        wake?.();
      });
      try {
        const started = await client.invoke('accounts.connect', {
          provider,
          method: LOGIN_METHOD[provider],
          ...(options.account ? { ref: String(options.account) } : {}),
        });
        const login = await followLogin(context, client, started, updates, (resolve) => (wake = resolve));
        if (context.out.json) context.out.data(login);
        if (login.state !== 'approved') {
          const tail = login.outputTail.length > 0 ? `\n${login.outputTail.join('\n')}` : '';
          throw new CliFailure(`login_${login.state}`, `The login of ${login.ref} ${login.state}: ${login.reason ?? 'no reason given'}${tail}`);
        }
        if (!context.out.json) context.out.line(`Connected ${login.ref} (${login.provider}). See it with: khala fleet status`);
      } finally {
        stop();
      }
    },
  );

  verb(fleet.command('status').description('The account inventory: readiness, identity, slots, busy, paused, cooldown'), async (context) => {
    const client = await context.host();
    const accounts = await client.invoke('accounts.list', {});
    if (context.out.json) return void context.out.data(accounts);
    if (accounts.length === 0) return void context.out.line('No accounts yet. Connect one with: khala fleet connect');
    context.out.line(
      table(
        ['ref', 'provider', 'readiness', 'identity', 'slots', 'busy', 'paused', 'cooldown'],
        accounts.map((account) => [
          account.ref,
          account.provider,
          account.readiness,
          orDash(account.identity),
          String(account.slots),
          String(account.busy),
          account.paused ? 'yes' : 'no',
          orDash(account.cooldownUntil),
        ]),
      ).trimEnd(),
    );
  });
  return fleet;
}

/**
 * Prints the link and code once they are known, asks for the pasted code when Claude's login waits
 * for it, and returns the login once it has ended. Ctrl-C cancels it on the host.
 */
async function followLogin(
  context: VerbContext,
  client: HostClient,
  started: Login,
  updates: Login[],
  setWake: (resolve: () => void) => void,
): Promise<Login> {
  let login = started;
  let shownLink = false;
  let askedCode = false;
  let cancelled = false;
  void context.interrupted.then(async () => {
    cancelled = true;
    await client.invoke('logins.cancel', { loginId: started.loginId }).catch(() => undefined);
  });
  for (;;) {
    for (const update of updates.splice(0)) if (update.loginId === started.loginId) login = update;
    if (!shownLink && login.verificationUrl) {
      shownLink = true;
      context.out.note(`Open ${login.verificationUrl}`);
      if (login.userCode) context.out.note(`and enter the code ${login.userCode}${login.expiresAt ? ` (it expires at ${login.expiresAt})` : ''}`);
      context.out.note('Waiting for approval… (Ctrl-C cancels)');
    }
    if (login.state === 'waiting_for_code' && !askedCode) {
      askedCode = true;
      const code = await ask('Paste the code from the browser: ');
      login = await client.invoke('logins.submitCode', { loginId: login.loginId, code });
      continue;
    }
    if (ENDED.has(login.state)) return login;
    if (cancelled) throw new CliFailure('login_cancelled', 'Cancelled.', EXIT.failed);
    await new Promise<void>((resolve) => setWake(resolve));
  }
}

function ask(question: string): Promise<string> {
  const readline = createInterface({ input: process.stdin, output: process.stderr });
  return new Promise((resolve) =>
    readline.question(question, (answer) => {
      readline.close();
      resolve(answer.trim());
    }),
  );
}
