// What the server sends for reports, read defensively: ids as strings,
// numbers as numbers (or null), lists as lists of objects.
export type Raw = Record<string, unknown>;
export const obj = (v: unknown): Raw => (typeof v === 'object' && v !== null ? (v as Raw) : {});
export const list = (v: unknown): Raw[] => (Array.isArray(v) ? v.map(obj) : []);
export const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
export const numOrNull = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);
export const str = (v: unknown) => (typeof v === 'string' ? v : '');
export const id = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v) : '');
