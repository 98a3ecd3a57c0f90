// The request this tab follows, per portal, in sessionStorage: it survives a
// reload but not the closing of the tab.
export interface StoredRequest {
  request_id: string;
  token: string;
}

const key = (account: string, slug: string) => `openassist.request.${account}/${slug}`;

export function loadRequest(account: string, slug: string): StoredRequest | undefined {
  try {
    const raw = sessionStorage.getItem(key(account, slug));
    if (raw === null) return undefined;
    const value: unknown = JSON.parse(raw);
    if (typeof value !== 'object' || value === null) return undefined;
    const { request_id, token } = value as Record<string, unknown>;
    const idOk = typeof request_id === 'string' || typeof request_id === 'number';
    if (!idOk || typeof token !== 'string') return undefined;
    return { request_id: String(request_id), token };
  } catch {
    return undefined; // storage disabled or damaged
  }
}

export function saveRequest(account: string, slug: string, request: StoredRequest): void {
  try {
    sessionStorage.setItem(key(account, slug), JSON.stringify(request));
  } catch {
    // storage disabled: the request is followed until the page reloads
  }
}

export function clearRequest(account: string, slug: string): void {
  try {
    sessionStorage.removeItem(key(account, slug));
  } catch {
    // storage disabled
  }
}
