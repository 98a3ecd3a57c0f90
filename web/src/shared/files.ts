// Files in a session's chat (docs/sessions.md, "Files"): what a chat line's
// `file` member says, which names the server takes, and the download for the
// session's technician and the account's managers (login cookie).
import { apiBlob } from './api';

/** A chat line's `file` member. */
export interface ChatFile {
  /** 32 hex digits. */
  id: string;
  name: string;
  /** Bytes. */
  size: number;
  mime: string;
}

/** The answer to an upload. */
export interface FileSent {
  type: 'file.sent';
  request_id: string;
  seq: number;
  file: ChatFile;
}

/** The product's allowlist (the server also checks that the content matches the name). */
export const FILE_EXTENSIONS = [
  '.jpeg',
  '.jpg',
  '.png',
  '.gif',
  '.bmp',
  '.tiff',
  '.pdf',
  '.doc',
  '.docx',
  '.odt',
  '.xls',
  '.xlsx',
  '.ppt',
  '.pptx',
  '.pps',
  '.ppsx',
  '.log',
  '.cfg',
  '.rar',
  '.zip',
  '.txt',
] as const;

/** The `accept` attribute of a file input. */
export const FILE_ACCEPT = FILE_EXTENSIONS.join(',');

/** A line's `file` member as received, or undefined when it is not one. */
export function fileOf(value: unknown): ChatFile | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  if (typeof v.id !== 'string' || v.id === '' || typeof v.name !== 'string') return undefined;
  const size = typeof v.size === 'number' ? v.size : Number(v.size);
  return {
    id: v.id,
    name: v.name,
    size: Number.isFinite(size) && size >= 0 ? size : 0,
    mime: typeof v.mime === 'string' ? v.mime : '',
  };
}

const seg = encodeURIComponent;

export const requestFileUrl = (requestId: string, fileId: string) =>
  `/api/v1/requests/${seg(requestId)}/files/${seg(fileId)}`;

/** A session's file, for its technician or the account's managers (same origin, login cookie). */
export const getRequestFile = (requestId: string, fileId: string) => apiBlob('GET', requestFileUrl(requestId, fileId));
