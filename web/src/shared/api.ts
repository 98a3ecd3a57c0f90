// Fetch helper for the node's JSON API (same origin).
// The server reports failures as
// {"error":{"code":"...","message":"...","field":"...","rule":"...","min":N,"max":N}};
// every failure, including network and parse failures, surfaces as an ApiError.
// Browser sessions send their CSRF token (from login or GET /auth/me) on every
// state-changing request.

export class ApiError extends Error {
  override readonly name = 'ApiError';

  constructor(
    /** Machine-readable code from the server, or a client-side one: `network`, `bad_response`, `http_<status>`. */
    readonly code: string,
    message: string,
    /** HTTP status, or 0 when no response arrived. */
    readonly status: number,
    /** The offending input, when the server names one. */
    readonly field?: string,
    /** Which validation rule the input broke, with its limits, so a UI can say it in its own language. */
    readonly violation: Violation = {},
    /** Everything else the server put into the error object (e.g. `next_open`), and `Retry-After` when sent. */
    readonly details: ErrorDetails = {},
  ) {
    super(message);
  }

  /** `required`, `length`, `email`, `format`, `unknown`, `range`, `type`, `choice` or `taken`, when the server says. */
  get rule(): string | undefined {
    return this.violation.rule;
  }

  /** Lower limit of a `length` or `range` rule. */
  get min(): number | undefined {
    return this.violation.min;
  }

  /** Upper limit of a `length` or `range` rule. */
  get max(): number | undefined {
    return this.violation.max;
  }
}

export interface ErrorDetails {
  /** The error object's other members, as sent. */
  extra?: Record<string, unknown>;
  /** Seconds from the `Retry-After` header, when the answer had one. */
  retryAfter?: number;
}

export interface Violation {
  rule?: string;
  min?: number;
  max?: number;
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RequestOptions {
  /** Sent as JSON. */
  body?: unknown;
  /** Sent as it is (e.g. a file), as application/octet-stream; instead of `body`. */
  raw?: Blob;
  /** More request headers (e.g. X-Customer-Token). */
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

interface ErrorBody {
  error: {
    code: string;
    message: string;
    field?: unknown;
    rule?: unknown;
    min?: unknown;
    max?: unknown;
    [other: string]: unknown;
  };
}

/** `Retry-After` as seconds (delta-seconds or an HTTP date). */
function retryAfter(header: string | null): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds);
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.round((at - Date.now()) / 1000));
}

const limit = (value: unknown) => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);

function isErrorBody(value: unknown): value is ErrorBody {
  if (typeof value !== 'object' || value === null || !('error' in value)) return false;
  const error = (value as { error: unknown }).error;
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as { code?: unknown }).code === 'string' &&
    typeof (error as { message?: unknown }).message === 'string'
  );
}

let csrfToken: string | undefined;

/** Remembers the session's CSRF token (undefined after logout); sent as X-CSRF-Token on POST, PUT, PATCH and DELETE. */
export function setCsrfToken(token: string | undefined): void {
  csrfToken = token;
}

async function send(method: HttpMethod, path: string, options: RequestOptions, accept: string): Promise<Response> {
  const headers: Record<string, string> = { Accept: accept, ...options.headers };
  if (method !== 'GET' && csrfToken !== undefined) headers['X-CSRF-Token'] = csrfToken;
  let body: string | Blob | undefined;
  if (options.raw !== undefined) {
    headers['Content-Type'] = 'application/octet-stream';
    body = options.raw;
  } else if (options.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  try {
    return await fetch(path, { method, headers, body, credentials: 'same-origin', signal: options.signal });
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw new ApiError('network', cause instanceof Error ? cause.message : String(cause), 0);
  }
}

/** The ApiError for a failed response, from its `{"error":…}` body when it has one. */
function failure(response: Response, parsed: unknown): ApiError {
  if (isErrorBody(parsed)) {
    const { code, message, field, rule, min, max, ...extra } = parsed.error;
    const named = typeof field === 'string' && field !== '' ? field : undefined;
    return new ApiError(
      code,
      message,
      response.status,
      named,
      {
        rule: typeof rule === 'string' && rule !== '' ? rule : undefined,
        min: limit(min),
        max: limit(max),
      },
      { extra, retryAfter: retryAfter(response.headers.get('Retry-After')) },
    );
  }
  const reason = response.statusText || 'request failed';
  return new ApiError(`http_${response.status}`, `HTTP ${response.status}: ${reason}`, response.status);
}

function parseJson(text: string): unknown {
  try {
    return text === '' ? undefined : JSON.parse(text);
  } catch {
    return undefined;
  }
}

export async function apiRequest<T>(method: HttpMethod, path: string, options: RequestOptions = {}): Promise<T> {
  const response = await send(method, path, options, 'application/json');
  const text = await response.text();
  let parsed: unknown = undefined;
  if (text !== '') {
    try {
      parsed = JSON.parse(text);
    } catch {
      if (response.ok) throw new ApiError('bad_response', `Invalid JSON from ${path}`, response.status);
    }
  }
  if (!response.ok) throw failure(response, parsed);
  return parsed as T;
}

/** A file from the API (e.g. a transcript) as a Blob; failures are ApiErrors as for JSON. */
export async function apiBlob(method: HttpMethod, path: string, options: RequestOptions = {}): Promise<Blob> {
  const response = await send(method, path, options, '*/*');
  if (!response.ok) throw failure(response, parseJson(await response.text()));
  try {
    return await response.blob();
  } catch (cause) {
    throw new ApiError('network', cause instanceof Error ? cause.message : String(cause), 0);
  }
}

/** Bytes from the API with the response's headers (e.g. a replay piece and its cursor); failures as for JSON. */
export async function apiBytes(
  method: HttpMethod,
  path: string,
  options: RequestOptions = {},
): Promise<{ bytes: Uint8Array; headers: Headers }> {
  const response = await send(method, path, options, '*/*');
  if (!response.ok) throw failure(response, parseJson(await response.text()));
  try {
    return { bytes: new Uint8Array(await response.arrayBuffer()), headers: response.headers };
  } catch (cause) {
    throw new ApiError('network', cause instanceof Error ? cause.message : String(cause), 0);
  }
}

export function apiGet<T>(path: string, signal?: AbortSignal): Promise<T> {
  return apiRequest<T>('GET', path, { signal });
}

/** GET /api/v1/status */
export interface NodeStatus {
  name: string;
  version: string;
  node_id: string;
  uptime_seconds: number;
  storage: { schema_version: number };
}

export function getStatus(signal?: AbortSignal): Promise<NodeStatus> {
  return apiGet<NodeStatus>('/api/v1/status', signal);
}

/** Ids are opaque: compared as strings, sent back exactly as received. */
export type Id = string | number;

export function sameId(a: Id | null | undefined, b: Id | null | undefined): boolean {
  return a !== null && a !== undefined && b !== null && b !== undefined && String(a) === String(b);
}
