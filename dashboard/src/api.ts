// The only way the page talks to the backend: the HTTP API (docs/api.md), with the signed-in
// person's token. Errors arrive as {"error": {code, message, fields?}}.
export interface FieldError {
  field: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: FieldError[] = [],
  ) {
    super(message);
  }
}

export type Query = Record<string, string | number | undefined>;

export interface Api {
  get<T>(path: string, query?: Query): Promise<T>;
  /** `idempotencyKey`: the same key for a retried submission, so the API publishes nothing twice. */
  send<T>(method: 'POST' | 'PUT' | 'DELETE', path: string, body: unknown, idempotencyKey?: string): Promise<T>;
  /** A file the API makes (a CSV export), as it arrives. */
  download(path: string, query?: Query): Promise<Blob>;
}

export function apiClient(baseUrl: string, token: () => string, onUnauthorized: () => void): Api {
  const base = baseUrl.replace(/\/+$/, '');
  async function request<T>(
    method: string,
    path: string,
    init: { query?: Query; body?: unknown; idempotencyKey?: string; asFile?: boolean } = {},
  ): Promise<T> {
    const search = new URLSearchParams();
    for (const [name, value] of Object.entries(init.query ?? {})) if (value !== undefined && value !== '') search.set(name, String(value));
    const url = `${base}${path}${search.size > 0 ? `?${search}` : ''}`;
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers: {
          authorization: `Bearer ${token()}`,
          ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...(init.idempotencyKey ? { 'idempotency-key': init.idempotencyKey } : {}),
        },
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
      });
    } catch {
      throw new ApiError(0, 'unreachable', 'The service could not be reached. Check the connection and try again.');
    }
    if (response.ok && init.asFile) return (await response.blob()) as T;
    const text = await response.text();
    const payload = text ? safeJson(text) : undefined;
    if (response.ok) return payload as T;
    if (response.status === 401) onUnauthorized();
    const error = (payload as { error?: { code?: string; message?: string; fields?: FieldError[] } } | undefined)?.error;
    throw new ApiError(
      response.status,
      error?.code ?? `http_${response.status}`,
      error?.message ?? `The service answered ${response.status}.`,
      error?.fields ?? [],
    );
  }
  return {
    get: (path, query) => request('GET', path, { query }),
    send: (method, path, body, idempotencyKey) => request(method, path, { body, idempotencyKey }),
    download: (path, query) => request<Blob>('GET', path, { query, asFile: true }),
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Reads until `done` says the answer shows what was just recorded (the figures are projected from
 *  the bus a moment after a command is accepted), or gives the last answer after `timeoutMs`. */
export async function readUntil<T>(read: () => Promise<T>, done: (answer: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const answer = await read();
    if (done(answer) || Date.now() > deadline) return answer;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
