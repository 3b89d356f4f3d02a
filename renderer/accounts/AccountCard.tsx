import { useId, useState, type KeyboardEvent } from 'react';
import type { Account } from '../../shared/accounts';
import { commands } from '../../shared/contract';
import { BusyButton } from '../app/BusyButton';
import { ErrorNote } from '../app/ErrorNote';
import { formatAgo, formatClock } from '../format';
import { useUiStore } from '../state/ui-store';
import { authMethodWords, cooldownLeftText, isCooling, readinessWords, takesSecret, usageText } from './account-text';
import { useSetAccountPaused, useSetAccountSlots } from './use-account-commands';
import { useReconnect } from './use-reconnect';

/** The contract's own bounds, so the input and the core agree on what a slot count may be. */
const slotsSchema = commands['accounts.setSlots'].input.shape.slots;
const MIN_SLOTS = slotsSchema.minValue ?? 0;
const MAX_SLOTS = slotsSchema.maxValue;

export function AccountCard({ account, now }: { account: Account; now: number }) {
  const askRemove = useUiStore((state) => state.askRemove);
  const { ref } = account;
  const setPaused = useSetAccountPaused(ref);
  const reconnect = useReconnect(ref);

  const stateClass = account.paused ? 'paused' : `readiness-${account.readiness}`;

  return (
    <article className={`card account ${stateClass}`} aria-label={`Account ${ref}`}>
      <header className="card-head">
        <span className="account-ref">{ref}</span>
        <span>{account.provider}</span>
        <span className={`state-badge readiness-${account.readiness}`}>{readinessWords[account.readiness]}</span>
        {account.paused && <span className="paused-badge">paused</span>}
      </header>
      <p className="card-line" title={account.readinessDetail}>
        {account.readinessDetail}
      </p>
      <dl className="card-facts">
        {account.identity && (
          <>
            <dt>Identity</dt>
            <dd>{account.identity}</dd>
          </>
        )}
        <dt>Linked by</dt>
        <dd>{authMethodWords[account.authMethod]}</dd>
        <dt>Slots</dt>
        <dd className="slots">
          <span>
            {account.busy}/{account.slots} slots busy
          </span>
          <SlotsInput account={account} />
        </dd>
        {account.cooldownUntil && isCooling(account, now) && (
          <>
            <dt>Cooldown</dt>
            <dd className="cooldown">
              rate limited: until <time dateTime={account.cooldownUntil}>{formatClock(account.cooldownUntil, now)}</time>,{' '}
              <span role="timer">{cooldownLeftText(account.cooldownUntil, now)}</span>
            </dd>
          </>
        )}
        <dt>Last 5 hours</dt>
        <dd>{usageText(account.usage.last5h)}</dd>
        <dt>Last 7 days</dt>
        <dd>{usageText(account.usage.last7d)}</dd>
        {account.usage.lastResetAt && (
          <>
            <dt>Last reset named</dt>
            <dd>
              <time dateTime={account.usage.lastResetAt}>{formatClock(account.usage.lastResetAt, now)}</time>
            </dd>
          </>
        )}
        <dt>Checked</dt>
        <dd>
          {account.lastCheckedAt ? (
            <time dateTime={account.lastCheckedAt}>last checked {formatAgo(now - Date.parse(account.lastCheckedAt))}</time>
          ) : (
            'never checked'
          )}
        </dd>
      </dl>
      {setPaused.isError && <ErrorNote error={setPaused.error} />}
      {reconnect.isError && <ErrorNote error={reconnect.error} />}
      <footer className="card-actions">
        <BusyButton
          aria-label={`${account.paused ? 'Resume' : 'Pause'} ${ref}`}
          busy={setPaused.isPending}
          onClick={() => setPaused.mutate(!account.paused)}
        >
          {account.paused ? 'Resume' : 'Pause'}
        </BusyButton>
        {/* A token or API key is replaced by linking again; only interactive logins can be rerun. */}
        {!takesSecret(account.authMethod) && (
          <BusyButton
            aria-label={`Reconnect ${ref}`}
            busy={reconnect.isPending}
            busyText="Reconnecting…"
            onClick={() => reconnect.mutate()}
          >
            Reconnect
          </BusyButton>
        )}
        <button type="button" className="danger" aria-label={`Remove ${ref}`} onClick={() => askRemove(ref)}>
          Remove
        </button>
      </footer>
    </article>
  );
}

/** The slot count, committed when the owner leaves the field or presses Enter. */
function SlotsInput({ account }: { account: Account }) {
  const problemId = useId();
  // null: show the account's own count (which pushed updates keep current); text: the owner is editing.
  const [draft, setDraft] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const { ref } = account;

  const setSlots = useSetAccountSlots(ref);

  const commit = () => {
    if (draft === null) return;
    const text = draft.trim();
    const parsed = slotsSchema.safeParse(text === '' ? Number.NaN : Number(text));
    if (!parsed.success) {
      setProblem(`Enter a whole number from ${MIN_SLOTS} to ${MAX_SLOTS}`);
      return;
    }
    setProblem(null);
    if (parsed.data === account.slots) setDraft(null);
    else setSlots.mutate(parsed.data, { onSettled: () => setDraft(null) });
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    // Blurring commits, so Enter and leaving the field share one path.
    if (event.key === 'Enter') event.currentTarget.blur();
  };

  return (
    <>
      <input
        type="number"
        className="slots-input"
        aria-label={`Slots for ${ref}`}
        aria-invalid={problem !== null}
        aria-describedby={problem ? problemId : undefined}
        min={MIN_SLOTS}
        max={MAX_SLOTS ?? undefined}
        step={1}
        value={draft ?? String(account.slots)}
        aria-busy={setSlots.isPending}
        onChange={(event) => setDraft(event.target.value)}
        onBlur={commit}
        onKeyDown={onKeyDown}
      />
      {problem && (
        <span id={problemId} className="field-problem">
          {problem}
        </span>
      )}
      {setSlots.isError && <ErrorNote error={setSlots.error} />}
    </>
  );
}
