// The customer portal's view of the public API (docs/intake.md): no login, the
// portal is named by account and slug, a request is followed with its token.
import { apiBlob, apiRequest } from '../shared/api';
import type { FileSent } from '../shared/files';
import type { PortalType } from '../shared/portalTypes';
import { getLanguage } from '../shared/i18n';

const BASE = '/api/v1/public';

export interface PortalField {
  key: string;
  label: string;
  type: 'text' | 'email' | 'textarea' | 'skill';
  required: boolean;
  choices?: string[];
  /** What the customer reads for each choice (parallel to `choices`; the value sent is the choice). */
  choice_labels?: string[];
  /** The label (and choice labels) in other languages; what is missing falls back to the above. */
  translations?: Partial<Record<string, { label?: string; choice_labels?: string[] }>>;
}

/** The field's label in `lang`, else its default label. */
export const fieldLabel = (field: PortalField, lang: string): string =>
  field.translations?.[lang]?.label || field.label;

/** What the customer reads for choice `i` in `lang`, else the default label, else the choice itself. */
export const choiceLabel = (field: PortalField, lang: string, i: number): string =>
  field.translations?.[lang]?.choice_labels?.[i] || field.choice_labels?.[i] || (field.choices ?? [])[i] || '';

export interface PublicPortal {
  account: string;
  portal: {
    id: number | string;
    name: string;
    slug: string;
    mode: 'web' | 'phone' | 'queue';
    type: PortalType;
    title: string;
    welcome: string;
    /** The portal records its sessions (chat and screen): the customer is told before the chat starts. */
    records?: boolean;
    fields: PortalField[];
  };
  open: {
    open: boolean;
    /** Unix seconds of the next opening, when closed and known. */
    next_open: number | null;
    /** `outside_hours` or `holiday:<name>` when closed. */
    reason: string;
  };
  /** Technicians available now (smartmatch only). */
  technicians: { id: number | string; name: string }[];
}

export interface NewRequest {
  fields: Record<string, string>;
  /** The customer's language (`en`, `de`): the confirmation mail is written in it. */
  lang?: string;
  technician_id?: number | string;
  code?: string;
}

export interface CreatedRequest {
  request_id: string;
  token: string;
  status: RequestStatus;
  position: number;
  estimated_wait_s: number | null;
}

export type RequestStatus = 'waiting' | 'assigned' | 'active' | 'closed' | 'abandoned';
export type Outcome = 'closed' | 'cancelled' | 'customer_left' | 'no_response';

/**
 * What the waiting page tells the customer (docs/intake.md, "Nobody answers"):
 * `busy` nobody could be alerted now, `widened` the chosen technician cannot
 * answer and the others were asked, `alerted_again` an alert round ran out,
 * `no_answer` the customer chooses (keep waiting or leave an e-mail),
 * `contact` they left an e-mail, `no_estimate` nobody takes the queue's
 * requests now, `technician_busy` a SmartPin technician is in another session.
 */
export type Notice =
  | ''
  | 'busy'
  | 'widened'
  | 'alerted_again'
  | 'no_answer'
  | 'contact'
  | 'no_estimate'
  | 'technician_busy'
  | 'no_response';

/** What the customer sees of a request (`request.state`). */
export interface RequestView {
  id: string;
  status: RequestStatus;
  position: number;
  estimated_wait_s: number | null;
  technician: { name: string } | null;
  outcome: Outcome | '' | null;
  message: string;
  /** What the page says while waiting (or ''), in the customer's language. */
  notice?: Notice | string;
  /** The e-mail address the customer left to be contacted at. */
  contact_email?: string | null;
  /** The e-mail address from the form, to suggest. */
  customer_email?: string;
  /** A finished session the customer may rate now (once). */
  can_rate: boolean;
  /** The customer's rating 1..5; 0 when not rated. */
  rating: number;
}

const seg = encodeURIComponent;

export const getPortal = (account: string, slug: string, signal?: AbortSignal) =>
  apiRequest<PublicPortal>('GET', `${BASE}/portals/${seg(account)}/${seg(slug)}`, { signal });

export const createRequest = (account: string, slug: string, body: NewRequest) =>
  apiRequest<CreatedRequest>('POST', `${BASE}/portals/${seg(account)}/${seg(slug)}/requests`, { body });

/** Cancels over HTTP (used when the WebSocket is down); the answer is the request's view. */
export const cancelRequest = (account: string, slug: string, id: string, token: string) =>
  apiRequest<RequestView | { request: RequestView }>(
    'POST',
    `${BASE}/portals/${seg(account)}/${seg(slug)}/requests/${seg(id)}/cancel`,
    { body: { token } },
  );

/** The chat as plain text (private notes left out), for "save chat history" (docs/sessions.md), in the page's language. */
export const getTranscript = (account: string, slug: string, id: string, token: string) =>
  apiBlob('POST', `${BASE}/portals/${seg(account)}/${seg(slug)}/requests/${seg(id)}/transcript`, {
    body: { token, lang: getLanguage() },
  });

const requestPath = (account: string, slug: string, id: string) =>
  `${BASE}/portals/${seg(account)}/${seg(slug)}/requests/${seg(id)}`;

/** Sends a file into the chat (docs/sessions.md, "Files"): the raw bytes, the request's token in a header. */
export const sendFile = (account: string, slug: string, id: string, token: string, file: File) =>
  apiRequest<FileSent>('POST', `${requestPath(account, slug, id)}/files?name=${seg(file.name)}`, {
    raw: file,
    headers: { 'X-Customer-Token': token },
  });

/** A file of the chat (either side's), with the request's token. */
export const getFile = (account: string, slug: string, id: string, token: string, fileId: string) =>
  apiBlob('POST', `${requestPath(account, slug, id)}/files/${seg(fileId)}`, { body: { token } });

/** A one-time code for the support app (docs/remote-control.md, "Joining"). */
export interface AppCode {
  /** 10 digits. */
  code: string;
  /** The join page's address, given to the app: `openassist-agent <link>`. */
  link: string;
  expires_in_s: number;
}

/** A new code for the support app; 404 wrong id or token, 409 `chat_not_open`, 429 `rate_limited`. */
export const getAppCode = (account: string, slug: string, id: string, token: string) =>
  apiRequest<AppCode>('POST', `${requestPath(account, slug, id)}/app-code`, { body: { token } });

/** The account and slug from /p/<account>/<slug>, or undefined for any other path. */
export function portalAddress(pathname: string): { account: string; slug: string } | undefined {
  const match = /^\/p\/([^/]+)\/([^/]+)\/?$/.exec(pathname);
  if (!match) return undefined;
  try {
    return { account: decodeURIComponent(match[1]), slug: decodeURIComponent(match[2]) };
  } catch {
    return undefined;
  }
}
