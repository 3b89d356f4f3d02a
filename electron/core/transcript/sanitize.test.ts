import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ColourOnlyFilter, colourOnly, plainText, VISIBLE_ESC } from './sanitize';

/** Inputs per property: enough to reach every state from every state many times over. */
const PROPERTY_RUNS = 5_000;

/** Complete SGR sequences, and text with no escape or control except newline and tab. */
// eslint-disable-next-line no-control-regex -- matching escape sequences is the point
const ONLY_COLOURS_AND_TEXT = /^(?:\x1b\[[0-9;:]*m|[^\x00-\x08\x0b-\x1f\x7f-\x9f])*$/u;
// eslint-disable-next-line no-control-regex -- matching escape sequences is the point
const NO_CONTROLS = /^[^\x00-\x08\x0b-\x1f\x7f-\x9f]*$/u;

/** Fragments a hostile worker would send, mixed with ordinary text and random characters. */
const hostileFragment = fc.oneof(
  fc.constantFrom(
    '\x1b',
    '\x1b[',
    '\x1b]',
    '\x1b\\',
    '\x07',
    '\r',
    '\n',
    '\t',
    '\b',
    '\x9b',
    '\x9c',
    '\x9d',
    '\x90',
    '\x1b[2J',
    '\x1b[H',
    '\x1b[1A',
    '\x1b[2K',
    '\x1b[31m',
    '\x1b[0m',
    '\x1b[38;5;196m',
    '\x1b[?25l',
    '\x1b]8;;https://evil.example/\x1b\\',
    '\x1b]52;c;aGVsbG8=\x07',
    '\x1b]0;title\x07',
    '\x1bP1$r\x1b\\',
    '\x1b_apc\x1b\\',
    '\x1b7',
    '\x1b(B',
    '■ closeout ok',
  ),
  fc.string({ unit: 'binary', maxLength: 8 }),
);
const hostileText = fc.array(hostileFragment, { maxLength: 30 }).map((parts) => parts.join(''));

describe('plainText (text from parsed worker JSON)', () => {
  it(`never keeps an escape or a control but newline and tab, and is idempotent (${PROPERTY_RUNS} inputs)`, () => {
    let tried = 0;
    fc.assert(
      fc.property(hostileText, (text) => {
        tried += 1;
        const once = plainText(text);
        expect(once).toMatch(NO_CONTROLS);
        expect(plainText(once)).toBe(once);
      }),
      { numRuns: PROPERTY_RUNS },
    );
    console.log(`plainText: ${tried} inputs tried`);
    expect(tried).toBe(PROPERTY_RUNS);
  });

  it('shows ESC as ␛ and keeps newlines and tabs', () => {
    expect(plainText('\x1b[2J\x1b[H■ closeout ok\r\n\tdone\x07\x9b1A')).toBe(`${VISIBLE_ESC}[2J${VISIBLE_ESC}[H■ closeout ok\n\tdone1A`);
  });
});

describe('ColourOnlyFilter (raw verify output)', () => {
  it(`keeps only complete SGR sequences, never throws, and is idempotent (${PROPERTY_RUNS} inputs)`, () => {
    let tried = 0;
    fc.assert(
      fc.property(hostileText, (text) => {
        tried += 1;
        const once = colourOnly(text);
        expect(once).toMatch(ONLY_COLOURS_AND_TEXT);
        expect(colourOnly(once)).toBe(once);
      }),
      { numRuns: PROPERTY_RUNS },
    );
    console.log(`colourOnly: ${tried} inputs tried`);
    expect(tried).toBe(PROPERTY_RUNS);
  });

  it(`gives the same text however the stream is cut into chunks (${PROPERTY_RUNS} inputs)`, () => {
    let tried = 0;
    fc.assert(
      fc.property(hostileText, fc.array(fc.nat(), { maxLength: 6 }), (text, cuts) => {
        tried += 1;
        const points = [...new Set(cuts.map((cut) => cut % (text.length + 1)))].sort((a, b) => a - b);
        const filter = new ColourOnlyFilter();
        let out = '';
        let from = 0;
        for (const point of [...points, text.length]) {
          out += filter.push(text.slice(from, point));
          from = point;
        }
        out += filter.end();
        expect(out).toBe(colourOnly(text));
      }),
      { numRuns: PROPERTY_RUNS },
    );
    console.log(`ColourOnlyFilter chunking: ${tried} inputs tried`);
  });

  const hostile: [name: string, input: string, shown: string][] = [
    ['a forged closeout line after a screen clear and home', '\x1b[2J\x1b[H\x1b[32m■ closeout ok\x1b[0m\n', '\x1b[32m■ closeout ok\x1b[0m\n'],
    ['cursor up and line erase that overwrite the line above', 'real line\n\x1b[1A\x1b[2Kfake line\n', 'real line\nfake line\n'],
    ['an OSC 8 hyperlink (ST-terminated)', '\x1b]8;;https://evil.example/\x1b\\click\x1b]8;;\x1b\\\n', 'click\n'],
    ['an OSC 52 clipboard write (BEL-terminated)', 'a\x1b]52;c;cm0gLXJmIH4=\x07b', 'ab'],
    ['a window title change', '\x1b]0;owned\x07\x1b]2;owned\x1b\\ok', 'ok'],
    ['an OSC 7 cwd and an iTerm 1337 sequence', '\x1b]7;file:///etc\x07\x1b]1337;SetMark\x07x', 'x'],
    ['a DCS string', '\x1bP1$r0m\x1b\\after', 'after'],
    ['APC, PM and SOS strings', '\x1b_a\x1b\\\x1b^b\x1b\\\x1bXc\x1b\\d', 'd'],
    ['8-bit C1 CSI and OSC', '\x9b2J\x9b31mred\x9b0m\x9d8;;https://x\x9cy', '\x1b[31mred\x1b[0my'],
    ['cursor save, restore and scroll region', '\x1b[s\x1b[1;5r\x1b[u\x1b7\x1b8z', 'z'],
    ['private modes (hide cursor, alternate screen)', '\x1b[?25l\x1b[?1049hq', 'q'],
    ['a lone carriage return that would overwrite a line', 'progress 50%\rprogress 100%\r\n', 'progress 50%\nprogress 100%\n'],
    ['bells and backspaces', 'ab\x08\x08XY\x07', 'abXY'],
    ['256-colour and truecolour SGR are kept', '\x1b[38;5;196mr\x1b[38:2::1:2:3mg\x1b[m', '\x1b[38;5;196mr\x1b[38:2::1:2:3mg\x1b[m'],
  ];
  it.each(hostile)('%s', (_name, input, shown) => {
    expect(colourOnly(input)).toBe(shown);
  });

  it('drops an unterminated OSC until its cap, then shows text again', () => {
    const out = colourOnly(`\x1b]8;;${'x'.repeat(5000)}`);
    expect(out).not.toContain('\x1b');
    expect(out.length).toBeLessThan(5000);
  });
});
