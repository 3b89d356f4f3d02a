import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MASK, maskSecrets } from './secret-mask';

/** Realistic fake values: the right prefix, alphabet and length, none of them a live credential. */
const SHAPES: { name: string; secret: string; shown: string }[] = [
  {
    name: 'Anthropic API key',
    secret: 'sk-ant-api03-Xq7vR2mK9pL4tW8yB1nC5dF3gH6jZ0aS-QeUiOp_2rT4yU6iO8pA1sD3fG5hJ7kL9zX1cV3bN5mQ-AbCdEfAA',
    shown: `sk-ant-api03-${MASK}`,
  },
  {
    name: 'Anthropic OAuth token',
    secret: 'sk-ant-oat01-9fK3mQ7xR1vT5wY8zB2nC4dF6gH0jL3pS5uW7yA9cE1gI3kM5oQ7sU9wY1aC3eG5iK7mO9qS1uW3yA5cE7-abcdefAA',
    shown: `sk-ant-oat01-${MASK}`,
  },
  { name: 'OpenAI key', secret: 'sk-Zq3fT8kW1mR6vY9bN2cX5dL7pH4jS0aGt1uI3oE6rQ8wBlbkFJ', shown: `sk-${MASK}` },
  {
    name: 'OpenAI project key',
    secret: 'sk-proj-4fR9kL2mQ7vX1zB8nC3dT6wY0pH5jS-aGu1iO3eR6tQ8wE2rT4yU6iO8pA1sD3fG5hJ7kL9zXT3BlbkFJ',
    shown: `sk-proj-${MASK}`,
  },
  { name: 'GitHub classic token', secret: 'ghp_1a2B3c4D5e6F7g8H9i0J1k2L3m4N5o6P7q8R', shown: `ghp_${MASK}` },
  { name: 'GitHub OAuth token', secret: 'gho_16C7e42F292c6912E7710c838347Ae178B4a', shown: `gho_${MASK}` },
  { name: 'GitHub user-to-server token', secret: 'ghu_9Zx8Yw7Vu6Ts5Rq4Po3Nm2Lk1Ji0Hg9Fe8Dc7', shown: `ghu_${MASK}` },
  { name: 'GitHub app installation token', secret: 'ghs_Ab1Cd2Ef3Gh4Ij5Kl6Mn7Op8Qr9St0Uv1Wx2Y', shown: `ghs_${MASK}` },
  { name: 'GitHub refresh token', secret: 'ghr_1B4a2e77838347a7E420ce178F2E7c6912E169246c34E1ccbF66C46812d16D5B1A9Dc86A149', shown: `ghr_${MASK}` },
  {
    name: 'GitHub fine-grained token',
    secret: 'github_pat_11ABCDEFG0abcdefghijkl_MNOPQRSTUVWXyz0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJK',
    shown: `github_pat_${MASK}`,
  },
  { name: 'AWS access key id', secret: 'AKIAIOSFODNN7EXAMPLE', shown: `AKIA${MASK}` },
  {
    name: 'AWS secret access key',
    secret: 'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    shown: `aws_secret_access_key = ${MASK}`,
  },
  { name: 'Slack bot token', secret: 'xoxb-2048193754-6619033401238-Qk9Zp3LmW7vR2tY8nB4cX1dF', shown: `xoxb-${MASK}` },
  { name: 'Slack user token', secret: 'xoxp-2048193754-2048193755-6619033401238-8f3c2a1b9d7e6f5a4b3c2d1e0f9a8b7c', shown: `xoxp-${MASK}` },
  { name: 'Google API key', secret: 'AIzaSyD3x9Kq7LmW2vR8tY4nB6cX1dF5gH0jZ-s', shown: `AIza${MASK}` },
  {
    name: 'JWT',
    secret:
      'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c',
    shown: `eyJ${MASK}`,
  },
  {
    name: 'Authorization: Bearer header',
    secret: 'Authorization: Bearer 7f3a9c2e1b4d8f6a0c5e9b3d7f1a4c8e2b6d0f9a',
    shown: `Authorization: Bearer ${MASK}`,
  },
  {
    name: 'PEM private key block',
    secret: [
      '-----BEGIN RSA PRIVATE KEY-----',
      'MIIEpAIBAAKCAQEA3Tz2mr7SZiAMfQyuvBjM9Oi+y5AT3AqoJ7fqi5Dq1KmhUg0Q',
      'x3Kc1mD7fWd2pZ9rT4yU6iO8pA1sD3fG5hJ7kL9zX1cV3bN5mQ==',
      '-----END RSA PRIVATE KEY-----',
    ].join('\n'),
    shown: `-----BEGIN RSA PRIVATE KEY-----${MASK}`,
  },
  { name: 'URL credentials', secret: 'https://deploy-bot:hunter2-S3cr3t@git.example.com/team/repo.git', shown: `https://${MASK}@git.example.com/team/repo.git` },
];

describe('maskSecrets masks each known shape and keeps a short prefix', () => {
  for (const shape of SHAPES) {
    it(shape.name, () => {
      const text = `worker said: ${shape.secret} (end)`;
      expect(maskSecrets(text)).toBe(`worker said: ${shape.shown} (end)`);
      expect(maskSecrets(shape.secret)).toBe(shape.shown);
      // Quoted as well, as tool output and JSON often have it.
      expect(maskSecrets(`"${shape.secret}"`)).toBe(`"${shape.shown}"`);
    });
  }

  it('AWS temporary access key id', () => {
    expect(maskSecrets('export AWS_ACCESS_KEY_ID=ASIAJEXAMPLEXEG2JICE')).toBe(`export AWS_ACCESS_KEY_ID=ASIA${MASK}`);
  });

  it('a PEM block cut off before its END line is masked to the end of its body', () => {
    expect(maskSecrets('-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmU=\n')).toBe(`-----BEGIN OPENSSH PRIVATE KEY-----${MASK}`);
  });

  it('Bearer outside a header, and a lower-case header', () => {
    expect(maskSecrets('curl -H "authorization: bearer abc123def456ghi789" https://api.example.com')).toBe(
      `curl -H "authorization: bearer ${MASK}" https://api.example.com`,
    );
  });
});

describe('maskSecrets leaves ordinary text alone', () => {
  const ORDINARY = [
    'Recorded the task in FIXTURE.md.',
    'commit 9fceb02d0ae598e95dc970b74767f19372d61af8 on fleet/task-1/write-a-greeting',
    'short sha 9fceb02, tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904',
    'assignment 3f2504e0-4f89-41d3-9a0c-0305e82c3301 and session 123e4567-e89b-12d3-a456-426614174000',
    'task-abcdefghijklmnopqrstuvwxyz0123 and risk-assessment-for-the-quarterly-review',
    'the bearer responsibilities of the owner; Bearer of bad news',
    'https://github.com/openai/codex and http://127.0.0.1:8080/v1/messages?beta=true',
    'git@github.com:owner/repo.git and user@example.com',
    'sk- is a prefix; ghp_ too; AKIA alone; eyJ alone; xoxb- alone',
    '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIU\n-----END CERTIFICATE-----',
    'usage 1,630 tokens exact; cost $0.0125',
  ];
  for (const text of ORDINARY) {
    it(JSON.stringify(text.slice(0, 40)), () => {
      expect(maskSecrets(text)).toBe(text);
    });
  }
});

/** Runs of these characters are what makes a badly written pattern backtrack. */
const HOSTILE_UNITS = fc.constantFrom('a', 'Z', '0', '-', '_', '.', ':', '/', '@', ' ', '\n', '=', 'sk-', 'sk-ant-api03-', 'eyJ', 'ghp_', 'AKIA', 'https://', 'Bearer ', '-----BEGIN PRIVATE KEY-----', MASK);
/** Long enough that a quadratic pattern would take seconds per input. */
const FUZZ_MAX_CHARS = 20_000;
const FUZZ_RUNS = 300;

describe('maskSecrets under fuzzing', () => {
  it(`is idempotent and finishes, over ${FUZZ_RUNS} random texts up to ${FUZZ_MAX_CHARS} characters`, () => {
    let tried = 0;
    fc.assert(
      fc.property(fc.array(fc.oneof(HOSTILE_UNITS, fc.string({ maxLength: 40 }), fc.constantFrom(...SHAPES.map((s) => s.secret))), { maxLength: FUZZ_MAX_CHARS / 20, size: 'max' }), (parts) => {
        tried += 1;
        const text = parts.join('');
        const once = maskSecrets(text);
        expect(maskSecrets(once)).toBe(once);
      }),
      { numRuns: FUZZ_RUNS },
    );
    expect(tried).toBe(FUZZ_RUNS);
  });

  it(`leaves any text without a secret's prefix as it was, over ${FUZZ_RUNS} random Unicode strings up to ${FUZZ_MAX_CHARS} characters`, () => {
    let tried = 0;
    // With no "-", "_" or ":" most shapes cannot form, and random Unicode never spells the rest (AKIA…, eyJ….….).
    const plain = fc.string({ unit: 'binary', maxLength: FUZZ_MAX_CHARS, size: 'max' }).map((text) => text.replace(/[-_:]/g, ' '));
    fc.assert(
      fc.property(plain, (text) => {
        tried += 1;
        expect(maskSecrets(text)).toBe(text);
      }),
      { numRuns: FUZZ_RUNS },
    );
    expect(tried).toBe(FUZZ_RUNS);
  });

  const starts = ['sk-', 'eyJa.', 'https://a', 'Bearer a', '-----BEGIN PRIVATE KEY----- ', 'a:', 'aws_secret_access_key=', 'xoxb-', 'ghp_'];
  it(`finishes on ${starts.length} pathological inputs: one pattern start repeated to 200,000 characters each`, () => {
    const PATHOLOGICAL_CHARS = 200_000;
    for (const start of starts) {
      const text = start.repeat(Math.ceil(PATHOLOGICAL_CHARS / start.length));
      expect(maskSecrets(maskSecrets(text))).toBe(maskSecrets(text));
    }
  });
});
