import { PushError } from '../errors.ts';
import { basicAuthorization, parseChallenges, type Challenge } from './auth.ts';
import type { Credentials } from './credentials.ts';
import { header, send, type HttpResponse } from './http.ts';
import { apiHost, isLoopback } from './reference.ts';

/** How to reach one registry. */
export interface ConnectionOptions {
  registry: string;
  credentials?: Credentials;
  /** Use plain HTTP. Without it, HTTPS is used, except that a loopback registry falls back to HTTP when HTTPS fails. */
  plainHttp?: boolean;
  /** Extra CA certificates (PEM) trusted for this registry. */
  ca?: string | Buffer;
  signal?: AbortSignal;
}

export interface CallOptions {
  headers?: Record<string, string>;
  body?: Uint8Array;
  /** Statuses that count as success; anything else throws PushError. */
  expect: number[];
  /** Names the step in errors: "upload blob sha256:…", "put manifest". */
  step: string;
  onBodyProgress?: (sent: number) => void;
}

/**
 * A client of the OCI distribution API for one registry. It answers auth challenges
 * (Basic, or Bearer via the token endpoint) once per scope set and keeps the result.
 */
export class RegistryClient {
  private base: URL | undefined;
  private authorization: string | undefined;
  private readonly host: string;

  constructor(
    private readonly options: ConnectionOptions,
    /** Token scopes, e.g. `repository:team/plugin:pull,push`. */
    private readonly scopes: string[],
  ) {
    this.host = apiHost(options.registry);
  }

  get registry(): string {
    return this.options.registry;
  }

  /** Calls `path` (absolute path or a registry-provided Location URL). */
  async call(method: string, path: string, options: CallOptions): Promise<HttpResponse> {
    const url = new URL(path, await this.baseUrl());
    let res = await this.exchange(method, url, options, this.authorization);
    if (res.status === 401) {
      this.authorization = await this.authorize(res, options.step);
      res = await this.exchange(method, url, options, this.authorization);
      if (res.status === 401) {
        const who = this.options.credentials ? ` (credentials from ${this.options.credentials.source})` : ' (no credentials configured)';
        throw this.error(`credentials were rejected${who}`, options.step, 401);
      }
    }
    if (!options.expect.includes(res.status)) throw this.error(describeFailure(method, url, res), options.step, res.status);
    return res;
  }

  /** Resolves `Location` headers, which may be relative. */
  location(res: HttpResponse, step: string): string {
    const value = header(res, 'location');
    if (!value) throw this.error('registry answered without a Location header', step, res.status);
    return value;
  }

  error(message: string, step: string, status?: number, cause?: unknown): PushError {
    return new PushError(message, this.options.registry, step, status, cause === undefined ? undefined : { cause });
  }

  private async exchange(method: string, url: URL, options: CallOptions, authorization: string | undefined): Promise<HttpResponse> {
    const headers: Record<string, string> = { 'user-agent': 'asmesh', ...options.headers };
    let target = url;
    for (let hop = 0; ; hop++) {
      const sameHost = target.host === url.host;
      const h = { ...headers, ...(authorization && sameHost ? { authorization } : {}) };
      let res: HttpResponse;
      try {
        res = await send({ method, url: target, headers: h, body: options.body, ca: this.options.ca, signal: this.options.signal, onBodyProgress: options.onBodyProgress });
      } catch (cause) {
        const aborted = this.options.signal?.aborted;
        const message = aborted ? 'interrupted' : `cannot reach ${target.origin}: ${(cause as Error).message}`;
        throw this.error(message, options.step, undefined, cause);
      }
      const redirect = [301, 302, 303, 307, 308].includes(res.status) && (method === 'GET' || method === 'HEAD');
      if (!redirect || hop >= 5) return res;
      target = new URL(this.location(res, options.step), target);
    }
  }

  private async baseUrl(): Promise<URL> {
    if (this.base) return this.base;
    if (this.options.plainHttp) return (this.base = new URL(`http://${this.host}`));
    const https = new URL(`https://${this.host}`);
    if (!isLoopback(this.host)) return (this.base = https);
    try {
      await send({ method: 'GET', url: new URL('/v2/', https), ca: this.options.ca, signal: this.options.signal, timeoutMs: 10_000 });
      return (this.base = https);
    } catch (cause) {
      // A registry that speaks TLS with a certificate we do not trust must not be retried in plain text.
      const code = (cause as NodeJS.ErrnoException).code ?? '';
      if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ALTNAME/.test(code)) {
        throw this.error(`TLS certificate of ${https.origin} is not trusted (${code}); pass --ca-file <pem>`, 'connect', undefined, cause);
      }
      return (this.base = new URL(`http://${this.host}`));
    }
  }

  private async authorize(res: HttpResponse, step: string): Promise<string> {
    const challenges = parseChallenges(header(res, 'www-authenticate'));
    const credentials = this.options.credentials;
    const bearer = challenges.find((c) => c.scheme === 'bearer');
    if (bearer) return this.fetchToken(bearer, step);
    if (challenges.some((c) => c.scheme === 'basic')) {
      if (!credentials?.username) throw this.error('registry requires a login and no credentials were found', step, 401);
      return basicAuthorization(credentials.username, credentials.password ?? '');
    }
    throw this.error(`unsupported authentication challenge ${JSON.stringify(header(res, 'www-authenticate') ?? '')}`, step, 401);
  }

  /** Docker token flow: GET realm?service&scope with Basic credentials, or POST a refresh token (OAuth2). */
  private async fetchToken(challenge: Challenge, step: string): Promise<string> {
    const realm = challenge.params.realm;
    if (!realm) throw this.error('Bearer challenge without a realm', step, 401);
    const url = new URL(realm);
    // Ask once for everything this client will do; add the challenge's scope only if ours do not cover its repository.
    const asked = challenge.params.scope;
    const covered = asked !== undefined && this.scopes.some((s) => s.split(':').slice(0, 2).join(':') === asked.split(':').slice(0, 2).join(':'));
    const scopes = asked && !covered ? [...this.scopes, asked] : this.scopes;
    const credentials = this.options.credentials;
    let res: HttpResponse;
    try {
      if (credentials?.identityToken) {
        const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: credentials.identityToken, client_id: 'asmesh' });
        if (challenge.params.service) form.set('service', challenge.params.service);
        form.set('scope', scopes.join(' '));
        const body = new TextEncoder().encode(form.toString());
        res = await send({ method: 'POST', url, body, headers: { 'content-type': 'application/x-www-form-urlencoded' }, ca: this.options.ca, signal: this.options.signal });
      } else {
        if (challenge.params.service) url.searchParams.set('service', challenge.params.service);
        for (const scope of scopes) url.searchParams.append('scope', scope);
        const headers: Record<string, string> = {};
        if (credentials?.username) headers.authorization = basicAuthorization(credentials.username, credentials.password ?? '');
        res = await send({ method: 'GET', url, headers, ca: this.options.ca, signal: this.options.signal });
      }
    } catch (cause) {
      throw this.error(`cannot reach token service ${url.origin}: ${(cause as Error).message}`, step, undefined, cause);
    }
    if (res.status === 401 || res.status === 403) {
      const who = credentials ? ` (credentials from ${credentials.source})` : ' (no credentials configured)';
      throw this.error(`token service ${url.origin} refused the login${who}`, step, res.status);
    }
    if (res.status !== 200) throw this.error(`token service ${url.origin} answered HTTP ${res.status}`, step, res.status);
    const parsed = JSON.parse(res.body.toString('utf8')) as { token?: string; access_token?: string };
    const token = parsed.token ?? parsed.access_token;
    if (!token) throw this.error(`token service ${url.origin} returned no token`, step, res.status);
    return `Bearer ${token}`;
  }
}

/** `PUT /v2/x/manifests/1.0 answered HTTP 400: MANIFEST_INVALID manifest invalid` — no query strings, no secrets. */
function describeFailure(method: string, url: URL, res: HttpResponse): string {
  let detail = '';
  try {
    const parsed = JSON.parse(res.body.toString('utf8')) as { errors?: { code?: string; message?: string; detail?: unknown }[] };
    detail = (parsed.errors ?? []).map((e) => [e.code, e.message].filter(Boolean).join(' ')).join('; ');
  } catch {
    detail = res.body.toString('utf8').slice(0, 200).trim();
  }
  return `${method} ${url.pathname} answered HTTP ${res.status}${detail ? `: ${detail}` : ''}`;
}
