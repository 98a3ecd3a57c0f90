// Sign-in, the session check and sign-out (docs/api.md), the same for the
// technician console and the Management Center; each names its own user type.
import { ApiError, apiRequest, setCsrfToken } from './api';

const BASE = '/api/v1';

/** Which kind of account signs in. */
export type LoginKind = 'manager' | 'technician';

interface SessionAnswer<U> {
  user: U;
  csrf_token: string;
}

/** Signs in; a 401 here is a wrong password, not a lost session. */
export async function login<U>(kind: LoginKind, email: string, password: string): Promise<U> {
  const answer = await apiRequest<SessionAnswer<U>>('POST', `${BASE}/auth/login`, {
    body: { kind, email, password },
  });
  setCsrfToken(answer.csrf_token);
  return answer.user;
}

/** The current session's user, or undefined when there is none (401). */
export async function currentUser<U>(signal?: AbortSignal): Promise<U | undefined> {
  try {
    const answer = await apiRequest<SessionAnswer<U>>('GET', `${BASE}/auth/me`, { signal });
    setCsrfToken(answer.csrf_token);
    return answer.user;
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      setCsrfToken(undefined);
      return undefined;
    }
    throw error;
  }
}

export async function logout(): Promise<void> {
  try {
    await apiRequest<void>('POST', `${BASE}/auth/logout`);
  } finally {
    setCsrfToken(undefined);
  }
}
