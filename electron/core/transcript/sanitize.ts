/**
 * What worker-originated text may do in a transcript pane: print, and (for raw process output)
 * colour itself. Nothing it sends may move the cursor, clear the screen, set the title, write the
 * clipboard or make a link, so it can never redraw the board's own lines or act outside the pane.
 */

const ESC = 0x1b;
const BEL = 0x07;
const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;
const DEL = 0x7f;
/** 8-bit (C1) controls that open a sequence, as xterm reads them. */
const C1_CSI = 0x9b;
const C1_ST = 0x9c;
const C1_STRING_OPENERS = new Set([0x90 /* DCS */, 0x98 /* SOS */, 0x9d /* OSC */, 0x9e /* PM */, 0x9f /* APC */]);
/** The 7-bit ESC finals that open a string (OSC ], DCS P, SOS X, PM ^, APC _), ended by BEL or ST. */
const STRING_OPENERS = new Set([']', 'P', 'X', '^', '_']);
/** A longer SGR is no colour any tool writes: it is dropped rather than buffered without end. */
const SGR_MAX_PARAM_CHARS = 64;
/** A string sequence (an OSC payload, say) longer than this is dropped and the text after it shown again. */
const STRING_MAX_CHARS = 4096;

/** Any character the filters act on; text without one passes through whole (most output has none). */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const ANY_CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/u;

/** How ESC looks in plain text: visible, so a hostile sequence is seen rather than obeyed. */
export const VISIBLE_ESC = '␛';

function isC0Dropped(code: number): boolean {
  return (code < 0x20 && code !== TAB && code !== LF) || code === DEL;
}

function isC1(code: number): boolean {
  return code >= 0x80 && code <= 0x9f;
}

/**
 * Text from a worker's parsed JSON (messages, tool input and output, commands, errors, unparsed
 * lines, stderr lines): no escape sequence and no control except newline and tab. ESC shows as ␛.
 */
export function plainText(text: string): string {
  if (!ANY_CONTROL.test(text)) return text;
  let out = '';
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (code === ESC) out += VISIBLE_ESC;
    else if (!isC0Dropped(code) && !isC1(code)) out += text[i];
  }
  return out;
}

type State = 'ground' | 'escape' | 'escapeIntermediate' | 'csi' | 'csiIgnore' | 'string' | 'stringEscape';

/**
 * Raw process output (the verify command's) keeps only complete SGR colour sequences (CSI … m).
 * Cursor moves, clears, scroll regions, OSC/DCS/APC/PM/SOS strings, C1 controls, bells and
 * backspaces are dropped; a lone carriage return becomes a newline so no line is overwritten.
 * One pass, one character at a time; a sequence split across chunks is finished by the next push.
 */
export class ColourOnlyFilter {
  private state: State = 'ground';
  private params = '';
  private stringLength = 0;
  private pendingCr = false;

  push(chunk: string): string {
    if (this.state === 'ground' && !this.pendingCr && !ANY_CONTROL.test(chunk)) return chunk;
    let out = '';
    for (let i = 0; i < chunk.length; i += 1) out += this.step(chunk.charCodeAt(i), chunk[i] ?? '');
    return out;
  }

  /** The end of the stream: an unfinished sequence is dropped, a trailing carriage return ends its line. */
  end(): string {
    const out = this.pendingCr ? '\n' : '';
    this.state = 'ground';
    this.params = '';
    this.pendingCr = false;
    return out;
  }

  private step(code: number, char: string): string {
    if (this.pendingCr) {
      this.pendingCr = false;
      if (code === LF) return '\n';
      return `\n${this.step(code, char)}`;
    }
    switch (this.state) {
      case 'ground':
        return this.ground(code, char);
      case 'escape':
        return this.escape(code, char);
      case 'escapeIntermediate':
        if (code >= 0x20 && code <= 0x2f) return '';
        this.state = 'ground';
        return code >= 0x30 && code <= 0x7e ? '' : this.ground(code, char);
      case 'csi':
        return this.csi(code, char);
      case 'csiIgnore':
        if (code >= 0x40 && code <= 0x7e) this.state = 'ground';
        else if (code < 0x20 || code > 0x7e) {
          this.state = 'ground';
          return this.ground(code, char);
        }
        return '';
      case 'string':
        return this.inString(code);
      case 'stringEscape':
        if (char === '\\') {
          this.state = 'ground';
          return '';
        }
        // ESC inside a string aborts it and starts a new sequence, as xterm does.
        return this.escape(code, char);
    }
  }

  private ground(code: number, char: string): string {
    if (code === ESC) {
      this.state = 'escape';
      return '';
    }
    if (code === C1_CSI) return this.startCsi();
    if (C1_STRING_OPENERS.has(code)) return this.startString();
    if (code === CR) {
      this.pendingCr = true;
      return '';
    }
    if (isC0Dropped(code) || isC1(code)) return '';
    return char;
  }

  private escape(code: number, char: string): string {
    if (char === '[') return this.startCsi();
    if (STRING_OPENERS.has(char)) return this.startString();
    if (code >= 0x20 && code <= 0x2f) {
      this.state = 'escapeIntermediate';
      return '';
    }
    this.state = 'ground';
    // ESC + a final byte (ESC 7, ESC c, ESC M …) is a complete command: dropped. Anything else aborts the ESC.
    return code >= 0x30 && code <= 0x7e ? '' : this.ground(code, char);
  }

  private startCsi(): string {
    this.state = 'csi';
    this.params = '';
    return '';
  }

  private csi(code: number, char: string): string {
    const isSgrParam = (code >= 0x30 && code <= 0x39) || char === ';' || char === ':';
    if (isSgrParam && this.params.length < SGR_MAX_PARAM_CHARS) {
      this.params += char;
      return '';
    }
    if (char === 'm' && this.params.length <= SGR_MAX_PARAM_CHARS) {
      this.state = 'ground';
      return `\x1b[${this.params}m`;
    }
    if (code >= 0x40 && code <= 0x7e) {
      this.state = 'ground';
      return '';
    }
    if (code >= 0x20 && code <= 0x3f) {
      // A private marker, an intermediate or an overlong SGR: not a colour, so the rest is skipped.
      this.state = 'csiIgnore';
      return '';
    }
    this.state = 'ground';
    return this.ground(code, char);
  }

  private startString(): string {
    this.state = 'string';
    this.stringLength = 0;
    return '';
  }

  private inString(code: number): string {
    if (code === BEL || code === C1_ST) {
      this.state = 'ground';
      return '';
    }
    if (code === ESC) {
      this.state = 'stringEscape';
      return '';
    }
    this.stringLength += 1;
    if (this.stringLength > STRING_MAX_CHARS) this.state = 'ground';
    return '';
  }
}

/** ColourOnlyFilter over one whole text. */
export function colourOnly(text: string): string {
  const filter = new ColourOnlyFilter();
  return filter.push(text) + filter.end();
}
