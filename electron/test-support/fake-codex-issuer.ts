import { createHash, randomBytes, randomInt, randomUUID } from 'node:crypto';
import http from 'node:http';
import { closeLoopback, listenOnLoopback } from './loopback-server';

/**
 * A local stand-in for auth.openai.com that the REAL `codex` CLI (0.169) can sign in against with
 * `codex login --device-auth --experimental_issuer <url>`. Wire format, as the CLI speaks it
 * (codex-rs/login/src/device_code_auth.rs, server.rs, token_data.rs):
 *
 * 1. POST /api/accounts/deviceauth/usercode, JSON `{client_id}`
 *    → 200 `{device_auth_id, user_code, interval, expires_at}`; `interval` is a STRING of seconds.
 * 2. POST /api/accounts/deviceauth/token, JSON `{device_auth_id, user_code}`, every `interval` s.
 *    The CLI keeps polling on 403 or 404 and gives up on any other non-2xx status, printing only
 *    the status. 2xx must be `{authorization_code, code_challenge, code_verifier}`: the server
 *    holds the PKCE pair, the CLI just passes the verifier on.
 * 3. POST /oauth/token, form-encoded `grant_type=authorization_code&code&redirect_uri&client_id&
 *    code_verifier`, with redirect_uri `<issuer>/deviceauth/callback`
 *    → 200 `{id_token, access_token, refresh_token}`. The CLI decodes the id_token's payload
 *    without checking its signature and writes auth.json; device login asks for nothing else.
 */

export interface FakeCodexIssuerOptions {
  /** The email the id_token carries. */
  email?: string;
  /** How long a user code stays usable before polls answer "expired". */
  expiresInSeconds?: number;
}

export interface FakeCodexIssuer {
  /** `http://127.0.0.1:PORT`, to pass as `--experimental_issuer`. */
  url: string;
  /** Lets the next poll for this code succeed, as if the user signed in and entered it. */
  approve(userCode: string): void;
  /** Makes the next poll for this code fail, as if the user declined. */
  deny(userCode: string): void;
  /** Makes the next poll for this code fail as expired, without waiting out its lifetime. */
  expire(userCode: string): void;
  /** User codes handed out and still waiting for a decision. */
  pendingCodes(): string[];
  /** Every request received, in order. */
  requests: { method: string; path: string }[];
  close(): Promise<void>;
}

const DEFAULT_EMAIL = 'worker@khala.invalid';
/** The real issuer's codes live 15 minutes: the CLI prints "expires in 15 minutes". */
const DEFAULT_EXPIRES_IN_SECONDS = 15 * 60;
/** Whole seconds between the CLI's polls; 1 is the smallest that does not make it spin. */
const POLL_INTERVAL_SECONDS = 1;
/** Real codes look like `DSJZ-RD351`: upper-case letters and digits in two groups. */
const USER_CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
const USER_CODE_GROUP_LENGTHS = [4, 5];
/** Lifetime stamped into the issued JWTs' `exp`. */
const TOKEN_LIFETIME_SECONDS = 60 * 60;
/** Random bytes behind the PKCE verifier (base64url: 43 characters, the RFC 7636 minimum). */
const PKCE_VERIFIER_BYTES = 32;
const SECRET_BYTES = 24;
/** The issuer claim the CLI's own issuer would put in its tokens. */
const REAL_ISSUER = 'https://auth.openai.com';
const AUTH_CLAIM = 'https://api.openai.com/auth';
const PROFILE_CLAIM = 'https://api.openai.com/profile';
const PLAN_TYPE = 'plus';

const HTTP_OK = 200;
const HTTP_BAD_REQUEST = 400;
/** What the real issuer answers while the user has not approved yet; the CLI polls again. */
const HTTP_FORBIDDEN = 403;
const HTTP_NOT_FOUND = 404;
/**
 * Denied and expired codes: the real statuses are not public and the CLI only reads the status
 * (anything but 2xx/403/404 ends the login), so each gets its own to tell the two apart in its
 * message: "device auth failed with status 400 Bad Request" / "... 410 Gone".
 */
const HTTP_DENIED = 400;
const HTTP_EXPIRED = 410;

type DeviceAuthStatus = 'pending' | 'approved' | 'denied' | 'expired' | 'redeemed';

interface DeviceAuth {
  deviceAuthId: string;
  userCode: string;
  clientId: string;
  expiresAt: number;
  status: DeviceAuthStatus;
  authorizationCode: string;
  codeVerifier: string;
}

export async function startFakeCodexIssuer(options: FakeCodexIssuerOptions = {}): Promise<FakeCodexIssuer> {
  const email = options.email ?? DEFAULT_EMAIL;
  const expiresInMs = (options.expiresInSeconds ?? DEFAULT_EXPIRES_IN_SECONDS) * 1000;
  const accountId = randomUUID();
  const userId = `user-${secret()}`;
  const auths = new Map<string, DeviceAuth>();
  const requests: FakeCodexIssuer['requests'] = [];
  let url = '';

  /** Expiry is checked lazily, whenever a code is looked at. */
  const current = (auth: DeviceAuth): DeviceAuth => {
    if (auth.status === 'pending' && Date.now() >= auth.expiresAt) auth.status = 'expired';
    return auth;
  };

  const pendingByCode = (userCode: string): DeviceAuth => {
    const auth = [...auths.values()].map(current).find((candidate) => candidate.userCode === userCode);
    if (auth?.status !== 'pending') {
      throw new Error(`fake codex issuer: no pending device login with code ${userCode} (${auth?.status ?? 'unknown'})`);
    }
    return auth;
  };

  const issueUserCode = (body: Record<string, unknown>): Reply => {
    if (typeof body.client_id !== 'string') return oauthError(HTTP_BAD_REQUEST, 'invalid_request', 'client_id is required');
    const auth: DeviceAuth = {
      deviceAuthId: `deviceauth_${randomUUID()}`,
      userCode: newUserCode(),
      clientId: body.client_id,
      expiresAt: Date.now() + expiresInMs,
      status: 'pending',
      authorizationCode: '',
      codeVerifier: '',
    };
    auths.set(auth.deviceAuthId, auth);
    return {
      status: HTTP_OK,
      body: {
        device_auth_id: auth.deviceAuthId,
        user_code: auth.userCode,
        interval: String(POLL_INTERVAL_SECONDS),
        expires_at: new Date(auth.expiresAt).toISOString(),
      },
    };
  };

  const pollDeviceToken = (body: Record<string, unknown>): Reply => {
    const found = typeof body.device_auth_id === 'string' ? auths.get(body.device_auth_id) : undefined;
    if (!found || found.userCode !== body.user_code) {
      // Not 404: the CLI would take that for "pending" and poll a typo for 15 minutes.
      return oauthError(HTTP_BAD_REQUEST, 'invalid_request', 'unknown device_auth_id or user_code');
    }
    const auth = current(found);
    switch (auth.status) {
      case 'pending':
        return oauthError(HTTP_FORBIDDEN, 'deviceauth_authorization_pending', 'Device authorization is pending');
      case 'denied':
        return oauthError(HTTP_DENIED, 'access_denied', 'The user denied the device authorization');
      case 'expired':
        return oauthError(HTTP_EXPIRED, 'expired_token', 'The device code has expired');
      case 'redeemed':
        return oauthError(HTTP_BAD_REQUEST, 'invalid_grant', 'The device authorization was already used');
      case 'approved':
        return {
          status: HTTP_OK,
          body: {
            authorization_code: auth.authorizationCode,
            code_challenge: createHash('sha256').update(auth.codeVerifier).digest('base64url'),
            code_verifier: auth.codeVerifier,
          },
        };
    }
  };

  const exchangeCode = (form: URLSearchParams): Reply => {
    if (form.get('grant_type') !== 'authorization_code') {
      return oauthError(HTTP_BAD_REQUEST, 'unsupported_grant_type', `grant_type ${form.get('grant_type')} is not served`);
    }
    const auth = [...auths.values()].find((candidate) => candidate.status === 'approved' && candidate.authorizationCode === form.get('code'));
    if (
      !auth ||
      form.get('code_verifier') !== auth.codeVerifier ||
      form.get('client_id') !== auth.clientId ||
      form.get('redirect_uri') !== `${url}/deviceauth/callback`
    ) {
      return oauthError(HTTP_BAD_REQUEST, 'invalid_grant', 'code, code_verifier, client_id or redirect_uri do not match');
    }
    auth.status = 'redeemed';
    const now = Math.floor(Date.now() / 1000);
    const common = { iss: REAL_ISSUER, sub: userId, iat: now, exp: now + TOKEN_LIFETIME_SECONDS };
    const authClaims = { chatgpt_account_id: accountId, chatgpt_plan_type: PLAN_TYPE, chatgpt_user_id: userId, user_id: userId };
    return {
      status: HTTP_OK,
      body: {
        id_token: unsignedJwt({ ...common, aud: [auth.clientId], email, email_verified: true, [AUTH_CLAIM]: authClaims }),
        // The CLI reads the access token as a JWT too: its `exp` decides when to refresh.
        access_token: unsignedJwt({
          ...common,
          aud: ['https://api.openai.com/v1'],
          client_id: auth.clientId,
          [AUTH_CLAIM]: authClaims,
          [PROFILE_CLAIM]: { email, email_verified: true },
        }),
        refresh_token: `rt_${secret()}`,
        token_type: 'Bearer',
        expires_in: TOKEN_LIFETIME_SECONDS,
      },
    };
  };

  const route = (method: string, path: string, raw: string, contentType: string): Reply => {
    if (method !== 'POST') return oauthError(HTTP_NOT_FOUND, 'not_found', `${method} ${path} is not served`);
    if (path === '/oauth/token') return exchangeCode(new URLSearchParams(raw));
    const body = contentType.includes('application/json') ? parseJsonObject(raw) : undefined;
    if (path === '/api/accounts/deviceauth/usercode' || path === '/api/accounts/deviceauth/token') {
      if (!body) return oauthError(HTTP_BAD_REQUEST, 'invalid_request', 'expected a JSON object body');
      return path.endsWith('/usercode') ? issueUserCode(body) : pollDeviceToken(body);
    }
    return oauthError(HTTP_NOT_FOUND, 'not_found', `${method} ${path} is not served`);
  };

  const server = http.createServer((request, response) => {
    const method = request.method ?? 'GET';
    const path = new URL(request.url ?? '/', 'http://fake').pathname;
    requests.push({ method, path });
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const reply = route(method, path, Buffer.concat(chunks).toString('utf8'), request.headers['content-type'] ?? '');
      response.writeHead(reply.status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(reply.body));
    });
  });
  url = await listenOnLoopback(server);

  return {
    url,
    requests,
    approve(userCode) {
      const auth = pendingByCode(userCode);
      auth.status = 'approved';
      auth.authorizationCode = `ac_${secret()}`;
      auth.codeVerifier = randomBytes(PKCE_VERIFIER_BYTES).toString('base64url');
    },
    deny(userCode) {
      pendingByCode(userCode).status = 'denied';
    },
    expire(userCode) {
      pendingByCode(userCode).status = 'expired';
    },
    pendingCodes: () => [...auths.values()].map(current).filter((auth) => auth.status === 'pending').map((auth) => auth.userCode),
    close: () => closeLoopback(server),
  };
}

interface Reply {
  status: number;
  body: unknown;
}

/** The error envelope the real issuer uses (`{"error":{"code":"deviceauth_authorization_pending",...}}`). */
function oauthError(status: number, code: string, message: string): Reply {
  return { status, body: { error: { code, message } } };
}

function parseJsonObject(raw: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(raw);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function newUserCode(): string {
  return USER_CODE_GROUP_LENGTHS.map((length) =>
    Array.from({ length }, () => USER_CODE_ALPHABET[randomInt(USER_CODE_ALPHABET.length)]).join(''),
  ).join('-');
}

function secret(): string {
  return randomBytes(SECRET_BYTES).toString('base64url');
}

/**
 * A well-formed JWT with a placeholder signature: the CLI only base64url-decodes the payload, but
 * it does insist on three non-empty dot-separated parts.
 */
function unsignedJwt(claims: Record<string, unknown>): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'none', typ: 'JWT' })}.${part(claims)}.${Buffer.from('unsigned').toString('base64url')}`;
}
