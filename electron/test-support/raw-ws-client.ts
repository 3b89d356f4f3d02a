import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';

/** RFC 6455 opcodes the tests send or read. */
export const OPCODE = { text: 0x1, binary: 0x2, close: 0x8 } as const;

export interface Frame {
  opcode: number;
  payload: Buffer;
}

/** A client frame, masked as RFC 6455 requires; `declaredLength` lies about the payload's size. */
export function encodeFrame(opcode: number, payload: Buffer, options: { declaredLength?: bigint; masked?: boolean } = {}): Buffer {
  const masked = options.masked ?? true;
  const length = options.declaredLength ?? BigInt(payload.length);
  const maskBit = masked ? 0x80 : 0;
  let header: Buffer;
  if (length < 126n) {
    header = Buffer.from([0x80 | opcode, maskBit | Number(length)]);
  } else if (length < 65_536n) {
    header = Buffer.alloc(4);
    header.writeUInt8(0x80 | opcode, 0);
    header.writeUInt8(maskBit | 126, 1);
    header.writeUInt16BE(Number(length), 2);
  } else {
    header = Buffer.alloc(10);
    header.writeUInt8(0x80 | opcode, 0);
    header.writeUInt8(maskBit | 127, 1);
    header.writeBigUInt64BE(length, 2);
  }
  if (!masked) return Buffer.concat([header, payload]);
  const mask = randomBytes(4);
  const body = Buffer.from(payload);
  for (let i = 0; i < body.length; i += 1) body[i]! ^= mask[i % 4]!;
  return Buffer.concat([header, mask, body]);
}

/** The first HTTP status line's code in `text`, or 0 when there is none yet. */
export function statusOf(text: string): number {
  const match = /^HTTP\/1\.1 (\d{3})/.exec(text);
  return match ? Number(match[1]) : 0;
}

/** Sends raw bytes to the host and resolves with the status it answered (0 if it closed without one). */
export function rawHttpStatus(port: number, bytes: Buffer | string): Promise<number> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    socket.on('error', () => resolve(statusOf(text)));
    socket.on('data', (chunk) => {
      text += chunk.toString('latin1');
      if (text.includes('\r\n')) {
        socket.destroy();
        resolve(statusOf(text));
      }
    });
    socket.on('close', () => resolve(statusOf(text)));
    socket.end(bytes);
  });
}

/**
 * A WebSocket client on a bare TCP socket, so a test can send what no WebSocket library would
 * (bad UTF-8, lying lengths, garbage) and can stop reading altogether.
 */
export class RawWebSocket {
  readonly frames: Frame[] = [];
  readonly closed: Promise<void>;
  private buffer = Buffer.alloc(0);
  private readonly waiters = new Set<() => void>();

  private constructor(readonly socket: Socket) {
    this.closed = new Promise((resolve) => socket.once('close', () => resolve()));
    socket.on('error', () => socket.destroy());
    socket.on('data', (chunk) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      this.parse();
      for (const wake of this.waiters) wake();
    });
  }

  /** Completes a real handshake with the token; rejects with the status when the host refuses it. */
  static open(port: number, token: string): Promise<RawWebSocket> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('error', reject);
      let head = Buffer.alloc(0);
      const onData = (chunk: Buffer) => {
        head = Buffer.concat([head, chunk]);
        const end = head.indexOf('\r\n\r\n');
        if (end < 0) return;
        socket.off('data', onData);
        socket.off('error', reject);
        const status = statusOf(head.toString('latin1'));
        if (status !== 101) {
          socket.destroy();
          reject(new Error(`handshake answered ${status}`));
          return;
        }
        const client = new RawWebSocket(socket);
        const rest = head.subarray(end + 4);
        if (rest.length > 0) socket.emit('data', rest);
        resolve(client);
      };
      socket.on('data', onData);
      socket.write(
        `GET /ws?token=${encodeURIComponent(token)} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n` +
          `Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\n\r\n`,
      );
    });
  }

  sendText(text: string): void {
    this.socket.write(encodeFrame(OPCODE.text, Buffer.from(text)));
  }

  /** Resolves with the close frame's code and reason once the host's close frame has been read. */
  closeFrame(): Promise<{ code: number; reason: string }> {
    return this.until(() => {
      const frame = this.frames.find((f) => f.opcode === OPCODE.close);
      if (!frame) return undefined;
      return { code: frame.payload.length >= 2 ? frame.payload.readUInt16BE(0) : 1005, reason: frame.payload.subarray(2).toString() };
    });
  }

  /** The text frames received, from frame number `from` on. */
  texts(from = 0): string[] {
    return this.frames
      .slice(from)
      .filter((f) => f.opcode === OPCODE.text)
      .map((f) => f.payload.toString());
  }

  until<T>(test: () => T | undefined, timeoutMs = 30_000): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const value = test();
        if (value === undefined) return;
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve(value);
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error('timed out waiting for the host'));
      }, timeoutMs);
      this.waiters.add(check);
      check();
    });
  }

  /** Server frames are never masked. */
  private parse(): void {
    for (;;) {
      if (this.buffer.length < 2) return;
      const opcode = this.buffer[0]! & 0x0f;
      let length = this.buffer[1]! & 0x7f;
      let offset = 2;
      if (length === 126) {
        if (this.buffer.length < 4) return;
        length = this.buffer.readUInt16BE(2);
        offset = 4;
      } else if (length === 127) {
        if (this.buffer.length < 10) return;
        length = Number(this.buffer.readBigUInt64BE(2));
        offset = 10;
      }
      if (this.buffer.length < offset + length) return;
      const payload = Buffer.from(this.buffer.subarray(offset, offset + length));
      this.frames.push({ opcode, payload });
      this.buffer = this.buffer.subarray(offset + length);
      // Answer a close as a well-behaved client does, so the host need not wait for its close timeout.
      if (opcode === OPCODE.close && this.socket.writable) this.socket.end(encodeFrame(OPCODE.close, payload.subarray(0, 2)));
    }
  }
}
