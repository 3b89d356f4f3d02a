import type { WorkerEvent } from '../workers/worker-events';
import { maskSecrets } from '../../../shared/secret-mask';
import { usageTotal } from '../workers/worker-events';
import { paint } from './ansi';
import { plainText } from './sanitize';

const numbers = new Intl.NumberFormat('en-US');

/** A tool input is shown on one line, cut here so one huge argument does not flood the pane. */
const TOOL_INPUT_PREVIEW_CHARS = 300;

function indent(text: string, prefix = '  '): string {
  return text
    .replace(/\n+$/, '')
    .split('\n')
    .map((line) => `${prefix}${line}`)
    .join('\n');
}

function toolInputPreview(input: unknown): string {
  if (input && typeof input === 'object' && 'command' in input && typeof input.command === 'string') return input.command;
  const json = JSON.stringify(input) ?? '';
  return json.length > TOOL_INPUT_PREVIEW_CHARS ? `${json.slice(0, TOOL_INPUT_PREVIEW_CHARS)}…` : json;
}

/**
 * Every string the worker sent, at any depth, made plain (the worker's text never carries an escape
 * sequence) and then masked for secrets (a sequence can no longer split one).
 */
function plainStrings(value: unknown): unknown {
  if (typeof value === 'string') return maskSecrets(plainText(value));
  if (Array.isArray(value)) return value.map(plainStrings);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, field]) => [key, plainStrings(field)]));
  return value;
}

/** Renders one normalized worker event as readable, coloured transcript text ('' for nothing to show). */
export function renderWorkerEvent(workerEvent: WorkerEvent): string {
  const event = plainStrings(workerEvent) as WorkerEvent;
  switch (event.type) {
    case 'session': {
      const facts = [`session ${event.sessionId}`, event.model && `model ${event.model}`, event.cwd && `cwd ${event.cwd}`].filter(Boolean);
      return `${paint('dim', `● ${facts.join(' · ')}`)}\n`;
    }
    case 'message':
      return `${indent(event.text)}\n`;
    case 'reasoning':
      return `${paint('dim', indent(event.text, '  ∴ '))}\n`;
    case 'command':
      if (event.phase === 'started') return `${paint('cyan', '▸ run:')} ${event.command}\n`;
      return `${event.exitCode === 0 ? paint('green', `◂ exit ${event.exitCode}`) : paint('red', `◂ exit ${event.exitCode ?? '?'}`)}${
        event.output ? `\n${paint('dim', indent(event.output, '  │ '))}` : ''
      }\n`;
    case 'file_change':
      return `${event.changes.map((c) => `${paint('magenta', `✎ ${c.kind}`)} ${c.path}`).join('\n')}\n`;
    case 'mcp_call':
      return `${paint('cyan', `▸ mcp ${event.server}.${event.tool}`)} ${event.error ? paint('red', event.error) : event.status}\n`;
    case 'web_search':
      return `${paint('cyan', '▸ web search:')} ${event.query}\n`;
    case 'todo':
      return `${event.items.map((t) => `  ${t.completed ? '☑' : '☐'} ${t.text}`).join('\n')}\n`;
    case 'notice':
      return `${paint('yellow', `! ${event.message}`)}\n`;
    case 'turn_started':
      return '';
    case 'turn_failed':
      return `${paint('red', `✖ turn failed: ${event.message}`)}\n`;
    case 'tool_call':
      return `${paint('cyan', `▸ tool: ${event.name}`)} ${toolInputPreview(event.input)}\n`;
    case 'tool_result': {
      const head = event.isError ? paint('red', '◂ tool failed') : paint('green', '◂ tool ok');
      return event.content ? `${head}\n${paint('dim', indent(event.content, '  │ '))}\n` : `${head}\n`;
    }
    case 'retry':
      return `${paint('yellow', `↻ retry ${event.attempt}/${event.maxRetries} in ${event.delayMs} ms: ${event.error}`)}\n`;
    case 'turn_completed': {
      const u = event.usage;
      const tokens = `${numbers.format(usageTotal(u))} tokens exact (in ${numbers.format(u.input)} · out ${numbers.format(u.output)} · cache read ${numbers.format(u.cacheRead)} · cache write ${numbers.format(u.cacheWrite)})`;
      const verdict = event.isError
        ? paint('red', `✖ result ${event.subtype || 'error'}: ${event.resultText}`)
        : paint('green', `✔ result ${event.subtype}`);
      return `${verdict}\n${paint('dim', `  usage ${tokens}`)}\n`;
    }
    case 'unparsed':
      return `${paint('dim', event.line)}\n`;
    case 'ignored':
      return '';
  }
}

export function renderStderr(line: string): string {
  return `${paint('yellow', `stderr │ ${maskSecrets(plainText(line))}`)}\n`;
}

export function renderLifecycle(text: string, tone: 'info' | 'ok' | 'fail' = 'info'): string {
  const colour = tone === 'ok' ? 'green' : tone === 'fail' ? 'red' : 'blue';
  return `${paint(colour, `■ ${maskSecrets(text)}`)}\n`;
}
