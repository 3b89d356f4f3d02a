import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { commands, invokeResultSchema, type CommandName } from '../../shared/contract';
import { ECHO_PREFIX_CHARS, WS_PATH } from '../../shared/constants';
import { OPCODE, RawWebSocket, encodeFrame, rawHttpStatus } from '../test-support/raw-ws-client';
import { tempDir } from '../test-support/temp-repo';
import { startTestCore, type TestCore } from '../test-support/test-core';
import { MAX_ERROR_MESSAGE_CHARS } from '../core/router';
import { startWebSocketHost, type WebSocketHost } from './ws';

/** Per command: random values of any shape, and objects built from its own field names. */
const RUNS_PER_COMMAND = { anything: 20, nearValid: 30 } as const;
/** A command's 50 payloads take about a second on a loaded two-core machine: the budget grows with the contract. */
const FUZZ_BUDGET_PER_COMMAND_MS = 3_000;
/** Random frames and random byte streams: each opens its own connection. */
const RAW_RUNS = { frames: 150, byteStreams: 150, requestLines: 150 } as const;

let harness: TestCore;
let host: WebSocketHost;
const coreLog: string[] = [];
const hostLog: string[] = [];
let ownCwd: string;

// Relative paths in fuzzed inputs must never land in a real repository: run from an empty folder.
beforeAll(async () => {
  ownCwd = process.cwd();
  process.chdir(tempDir());
  const staticDir = path.join(tempDir(), 'renderer');
  mkdirSync(staticDir);
  writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>board</title>');
  harness = startTestCore({ log: (line) => coreLog.push(line) });
  host = await startWebSocketHost(harness.core, { port: 0, staticDir, log: (line) => hostLog.push(line) });
});
afterAll(async () => {
  await host.close();
  await harness.core.close();
  process.chdir(ownCwd);
});

let witness: RawWebSocket | undefined;
afterEach(() => witness?.socket.destroy());

type Result = ReturnType<typeof invokeResultSchema.parse>;

/** Sends one frame's text and resolves with the result whose id matches. */
async function roundTrip(client: RawWebSocket, frameText: string, id: number): Promise<Result> {
  const from = client.frames.length;
  client.sendText(frameText);
  const text = await client.until(() => client.texts(from).find((t) => (JSON.parse(t) as { id?: number }).id === id));
  return invokeResultSchema.parse((JSON.parse(text) as { result: unknown }).result);
}

async function hostInfoAnswers(): Promise<boolean> {
  const client = await RawWebSocket.open(host.port, host.token);
  const result = await roundTrip(client, JSON.stringify({ t: 'invoke', id: 1, command: 'host.info', input: {} }), 1);
  client.socket.destroy();
  return result.ok;
}

/** Paths and executables in fuzzed inputs point nowhere, so no fuzz case can reach a real repo or program. */
const NOWHERE = '/nonexistent-khala-fuzz/';
const PATH_FIELDS = new Set(['repoPath', 'path', 'codexPath', 'claudePath']);

/** Words the schemas' enums use, so near-valid objects get past the first check now and then. */
const DOMAIN_WORDS = ['fixture', 'claude', 'codex', 'device', 'browser', 'token', 'api_key', 'code-run', 'task_list', 'github', 'manual', 'pause', 'resume', 'stop', 'high', 'low'];
const PROTOTYPE_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty'];

/** Nesting a JSON.stringify on this side can still build. */
const MAX_VALUE_DEPTH = 500;
/** Nesting sent as text, far past any parser's recursion limit. */
const MAX_TEXT_DEPTH = 50_000;

function nested(depth: number): unknown {
  let value: unknown = 'bottom';
  for (let i = 0; i < depth; i += 1) value = { a: [value] };
  return value;
}

function nestedText(depth: number): string {
  return `${'{"a":['.repeat(depth)}"bottom"${']}'.repeat(depth)}`;
}

const hostileString = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('', ' ', '..', '--help', '-rf', '../../etc/passwd', '\u0000', '\u001b]8;;http://evil.example\u0007x', 'a'.repeat(ECHO_PREFIX_CHARS + 1)),
  fc.nat({ max: 70_000 }).map((n) => 'x'.repeat(n)),
);
const hostileValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    hostileString,
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.constantFrom(...DOMAIN_WORDS),
    fc.integer({ min: 1, max: MAX_VALUE_DEPTH }).map(nested),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.string({ maxLength: 8 }), tie('value'), { maxKeys: 4 }),
  ),
})).value;

function fieldNames(command: CommandName): string[] {
  const schema = commands[command].input as unknown as { shape?: Record<string, unknown> };
  return schema.shape ? Object.keys(schema.shape) : [];
}

/** JSON text of an object with exactly these own keys (`__proto__` included), fuzz paths sent nowhere. */
function objectText(entries: [string, unknown][]): string {
  const members = entries.map(([key, value]) => {
    const safe = PATH_FIELDS.has(key) && typeof value === 'string' ? NOWHERE + value : value;
    return `${JSON.stringify(key)}:${JSON.stringify(safe) ?? 'null'}`;
  });
  return `{${members.join(',')}}`;
}

function nearValidInput(command: CommandName): fc.Arbitrary<string> {
  const names = fieldNames(command);
  const key = fc.constantFrom(...names, ...PROTOTYPE_KEYS);
  const everyField = fc.tuple(...names.map((name) => hostileValue.map((value): [string, unknown] => [name, value])));
  return fc.oneof(
    fc.array(fc.tuple(key, hostileValue), { maxLength: names.length + 3 }).map(objectText),
    names.length > 0 ? everyField.map((entries) => objectText(entries)) : fc.constant('{}'),
    fc.tuple(key, fc.integer({ min: MAX_VALUE_DEPTH, max: MAX_TEXT_DEPTH })).map(([name, depth]) => `{${JSON.stringify(name)}:${nestedText(depth)}}`),
  );
}

describe('hostile input over the real WebSocket host', () => {
  it(`answers every contract command's fuzzed payloads with a typed result and stays up (${Object.keys(commands).length} commands)`, async () => {
    witness = await RawWebSocket.open(host.port, host.token);
    let tried = 0;
    let nextId = 1;
    const codes = new Map<string, number>();
    const record = (result: Result) => {
      const code = result.ok ? 'ok' : result.error.code;
      codes.set(code, (codes.get(code) ?? 0) + 1);
      tried += 1;
      if (!result.ok) expect(result.error.message.length).toBeLessThanOrEqual(MAX_ERROR_MESSAGE_CHARS + 1);
    };
    for (const command of Object.keys(commands) as CommandName[]) {
      await fc.assert(
        fc.asyncProperty(fc.anything({ withNullPrototype: true, withBigInt: false }), async (input) => {
          const id = nextId++;
          record(await roundTrip(witness!, JSON.stringify({ t: 'invoke', id, command, input }), id));
        }),
        { numRuns: RUNS_PER_COMMAND.anything },
      );
      await fc.assert(
        fc.asyncProperty(nearValidInput(command), async (inputText) => {
          const id = nextId++;
          record(await roundTrip(witness!, `{"t":"invoke","id":${id},"command":${JSON.stringify(command)},"input":${inputText}}`, id));
        }),
        { numRuns: RUNS_PER_COMMAND.nearValid },
      );
    }
    console.log(`contract fuzz: ${tried} payloads over ${Object.keys(commands).length} commands; results by code ${JSON.stringify(Object.fromEntries(codes))}`);
    expect(tried).toBe(Object.keys(commands).length * (RUNS_PER_COMMAND.anything + RUNS_PER_COMMAND.nearValid));
    expect(await hostInfoAnswers()).toBe(true);
  }, Object.keys(commands).length * FUZZ_BUDGET_PER_COMMAND_MS);

  it(`answers random whole frames with typed results and stays up (${RAW_RUNS.frames} frames)`, async () => {
    witness = await RawWebSocket.open(host.port, host.token);
    let barrierId = -1_000_000;
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.jsonValue().map((v) => JSON.stringify(v)), fc.string({ unit: 'binary', maxLength: 200 })), async (text) => {
        const before = witness!.frames.length;
        witness!.sendText(text);
        // A host.info with a fresh id follows; everything answered before it is the random frame's answer.
        barrierId -= 1;
        const barrier = await roundTrip(witness!, JSON.stringify({ t: 'invoke', id: barrierId, command: 'host.info', input: {} }), barrierId);
        expect(barrier.ok).toBe(true);
        for (const answer of witness!.texts(before)) {
          const message = JSON.parse(answer) as { t: string; result?: unknown };
          if (message.t === 'result') invokeResultSchema.parse(message.result);
        }
      }),
      { numRuns: RAW_RUNS.frames },
    );
    console.log(`random frames: ${RAW_RUNS.frames} tried, each answered with a typed result`);
  });

  it('echoes only a short prefix of a 15 MB command name and of a 15 MB key (2 inputs)', async () => {
    witness = await RawWebSocket.open(host.port, host.token);
    const huge = 'n'.repeat(15 * 1024 * 1024);
    const unknown = await roundTrip(witness, JSON.stringify({ t: 'invoke', id: 1, command: huge, input: {} }), 1);
    expect(unknown).toEqual({ ok: false, error: { code: 'unknown_command', message: `There is no command named "${'n'.repeat(ECHO_PREFIX_CHARS)}…".` } });
    const badKey = await roundTrip(witness, `{"t":"invoke","id":2,"command":"tasks.create","input":{"title":{"${huge}":1}}}`, 2);
    expect(badKey.ok).toBe(false);
    if (!badKey.ok) {
      expect(badKey.error.code).toBe('invalid_input');
      expect(badKey.error.message.length).toBeLessThanOrEqual(MAX_ERROR_MESSAGE_CHARS + 1);
      expect(badKey.error.message).not.toContain('n'.repeat(ECHO_PREFIX_CHARS + 1));
    }
  });

  it('refuses fuzzed upgrades without the token or from a foreign Origin with 401/403 before any upgrade', async () => {
    let tried = 0;
    const upgrade = (query: string, origin: string | null) =>
      rawHttpStatus(
        host.port,
        `GET ${WS_PATH}${query} HTTP/1.1\r\nHost: 127.0.0.1:${host.port}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n` +
          `Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n${origin ? `Origin: ${origin}\r\n` : ''}\r\n`,
      );
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 64 }), async (guess) => {
        tried += 1;
        expect(await upgrade(`?token=${encodeURIComponent(guess)}`, null)).toBe(401);
      }),
      { numRuns: 100 },
    );
    await fc.assert(
      fc.asyncProperty(fc.webUrl(), async (origin) => {
        tried += 1;
        expect(await upgrade(`?token=${host.token}`, origin)).toBe(403);
      }),
      { numRuns: 100 },
    );
    expect(await upgrade('', null)).toBe(401);
    console.log(`refused upgrades: ${tried + 1} tried (wrong tokens, foreign Origins), every one answered before any 101`);
    expect(await hostInfoAnswers()).toBe(true);
  });

  it('ends only the connection that sends an invalid frame; other clients are unaffected', async () => {
    const quiet = new WebSocket(`ws://127.0.0.1:${host.port}${WS_PATH}?token=${host.token}`);
    await new Promise((resolve) => quiet.once('open', resolve));
    const cases: [string, (c: RawWebSocket) => void, number | null][] = [
      ['bad UTF-8 text', (c) => c.socket.write(encodeFrame(OPCODE.text, Buffer.from([0xc3, 0x28, 0xff]))), 1007],
      ['a length field of 2^63-1', (c) => c.socket.write(encodeFrame(OPCODE.text, Buffer.from('x'), { declaredLength: 2n ** 63n - 1n })), 1009],
      ['a frame above the 16 MB limit', (c) => c.socket.write(encodeFrame(OPCODE.text, Buffer.alloc(0), { declaredLength: 17n * 1024n * 1024n })), 1009],
      ['a binary frame', (c) => c.socket.write(encodeFrame(OPCODE.binary, Buffer.from([1, 2, 3]))), 1003],
      ['an unmasked client frame', (c) => c.socket.write(encodeFrame(OPCODE.text, Buffer.from('{}'), { masked: false })), 1002],
      ['a 70 KB header line', (c) => c.socket.write(`X-Long: ${'a'.repeat(70 * 1024)}\r\n\r\n`), null],
      ['random bytes', (c) => c.socket.write(Buffer.from('\x00\xff\x13garbage\x7f\x80after the handshake', 'latin1')), null],
    ];
    for (const [name, send, expectedCode] of cases) {
      const client = await RawWebSocket.open(host.port, host.token);
      send(client);
      await client.closed;
      const close = client.frames.find((f) => f.opcode === OPCODE.close);
      if (expectedCode !== null) expect({ name, code: close?.payload.readUInt16BE(0) }).toEqual({ name, code: expectedCode });
    }
    let streams = 0;
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 1, maxLength: 4_000 }), async (bytes) => {
        const client = await RawWebSocket.open(host.port, host.token);
        client.socket.end(Buffer.from(bytes));
        await client.closed;
        streams += 1;
      }),
      { numRuns: RAW_RUNS.byteStreams },
    );
    console.log(`invalid frames: ${cases.length} crafted cases and ${streams} random byte streams after a real handshake`);
    const answered = await new Promise<string>((resolve) => {
      quiet.once('message', (data) => resolve(data.toString()));
      quiet.send(JSON.stringify({ t: 'invoke', id: 7, command: 'host.info', input: {} }));
    });
    expect(JSON.parse(answered)).toMatchObject({ id: 7, result: { ok: true } });
    quiet.close();
  });

  it('answers malformed URLs, methods and request lines with a status, never a crash', async () => {
    const get = (target: string, method = 'GET') => rawHttpStatus(host.port, `${method} ${target} HTTP/1.1\r\nHost: 127.0.0.1:${host.port}\r\n\r\n`);
    expect(await get('/%ZZ')).toBe(400);
    expect(await get('/%E0%A4%A')).toBe(400);
    expect(await get('/a%00b')).toBe(400);
    expect(await get('/..%2f..%2fetc/passwd')).toBe(403);
    expect(await get('/missing.js')).toBe(404);
    expect(await get('/', 'DELETE')).toBe(405);
    expect(await get(`/${'a'.repeat(1024 * 1024)}`)).toBe(431);
    expect(await rawHttpStatus(host.port, 'GET / HTTP/1.1\r\nHost: evil.example\r\n\r\n')).toBe(421);
    expect(await rawHttpStatus(host.port, '\x00\x01\x02 not http at all\r\n\r\n')).toBe(400);
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string({ unit: 'binary', maxLength: 300 }).map((path) => `GET /${path} HTTP/1.1\r\nHost: 127.0.0.1:${host.port}\r\n\r\n`),
          fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes).toString('latin1') + '\r\n\r\n'),
        ),
        async (request) => {
          const status = await rawHttpStatus(host.port, Buffer.from(request, 'latin1'));
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
          expect([0, 200, 400, 403, 404, 405, 421, 431]).toContain(status);
        },
      ),
      { numRuns: RAW_RUNS.requestLines },
    );
    console.log(`malformed requests: ${RAW_RUNS.requestLines + 9} tried; random ones by status ${JSON.stringify(Object.fromEntries(statuses))}`);
    expect(await hostInfoAnswers()).toBe(true);
  });

  it('never logs the token over a whole session of good and refused connections', async () => {
    expect(await hostInfoAnswers()).toBe(true);
    const logged = [...coreLog, ...hostLog];
    expect(hostLog.some((line) => line.includes('refused a WebSocket upgrade'))).toBe(true);
    expect(logged.filter((line) => line.includes(host.token))).toEqual([]);
    console.log(`token check: ${logged.length} core and host log lines, none carries the token`);
  });
});
