// Tiny i18n: English and German dictionaries, the language chosen from a stored
// preference or navigator.languages, and a hook that re-renders on a switch.
// The strings live in one file per area in ./i18n/; this file joins them.
import { useEffect, useState } from 'preact/hooks';
import * as common from './i18n/common';
import * as technicianConsole from './i18n/console';
import * as customer from './i18n/customer';
import * as dashboards from './i18n/dashboards';
import * as hours from './i18n/hours';
import * as landing from './i18n/landing';
import * as liveSession from './i18n/liveSession';
import * as manage from './i18n/manage';
import * as people from './i18n/people';
import * as portals from './i18n/portals';
import * as reports from './i18n/reports';
import * as sessions from './i18n/sessions';

export type Lang = 'en' | 'de';

export const languages: readonly { code: Lang; name: string }[] = [
  { code: 'en', name: 'English' },
  { code: 'de', name: 'Deutsch' },
];

type Dictionary = Readonly<Record<string, string>>;

/** Every key of the dictionaries. */
type KeysOf<Dicts extends readonly Dictionary[]> = { [I in keyof Dicts]: keyof Dicts[I] }[number];

/** The keys that two or more of the dictionaries define. */
type DuplicateKeys<Dicts extends readonly Dictionary[]> = Dicts extends readonly [
  infer First extends Dictionary,
  ...infer Rest extends readonly Dictionary[],
]
  ? (keyof First & KeysOf<Rest>) | DuplicateKeys<Rest>
  : never;

/** The dictionaries in one. */
type Joined<Dicts extends readonly Dictionary[]> = Dicts extends readonly [
  infer First extends Dictionary,
  ...infer Rest extends readonly Dictionary[],
]
  ? First & Joined<Rest>
  : unknown;

/**
 * The areas' dictionaries of one language in one. A key that two areas define
 * would silently get the later area's text, so it does not compile: the error
 * names the key under `duplicateKeys`.
 */
function join<const Dicts extends readonly Dictionary[]>(
  ...dicts: Dicts & ([DuplicateKeys<Dicts>] extends [never] ? unknown : { duplicateKeys: DuplicateKeys<Dicts> })
): Joined<Dicts> {
  return Object.assign({}, ...dicts) as Joined<Dicts>;
}

const en = join(
  common.en,
  landing.en,
  customer.en,
  technicianConsole.en,
  liveSession.en,
  manage.en,
  people.en,
  portals.en,
  hours.en,
  sessions.en,
  dashboards.en,
  reports.en,
);

export type MessageKey = keyof typeof en;

const de: Record<MessageKey, string> = join(
  common.de,
  landing.de,
  customer.de,
  technicianConsole.de,
  liveSession.de,
  manage.de,
  people.de,
  portals.de,
  hours.de,
  sessions.de,
  dashboards.de,
  reports.de,
);

const dictionaries: Record<Lang, Record<MessageKey, string>> = { en, de };

const STORAGE_KEY = 'openassist.lang';

function isLang(value: unknown): value is Lang {
  return languages.some((l) => l.code === value);
}

function readStored(): Lang | undefined {
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    return isLang(stored) ? stored : undefined;
  } catch {
    return undefined; // storage disabled
  }
}

export function detectLanguage(): Lang {
  const stored = readStored();
  if (stored) return stored;
  for (const tag of navigator.languages ?? [navigator.language]) {
    const base = tag.toLowerCase().split('-')[0];
    if (isLang(base)) return base;
  }
  return 'en';
}

export function isMessageKey(key: string): key is MessageKey {
  return Object.prototype.hasOwnProperty.call(en, key);
}

/**
 * `{name}` is replaced by the parameter; `{n|one|other}` picks `one` when the
 * parameter n is 1 and `other` otherwise (enough for English and German).
 */
export function translate(lang: Lang, key: MessageKey, params?: Record<string, string | number>): string {
  const template = dictionaries[lang][key];
  if (!params) return template;
  return template.replace(
    /\{(\w+)(?:\|([^|{}]*)\|([^|{}]*))?\}/g,
    (match, name: string, one?: string, other?: string) => {
      if (!(name in params)) return match;
      if (one === undefined || other === undefined) return String(params[name]);
      return Number(params[name]) === 1 ? one : other;
    },
  );
}

let current: Lang = detectLanguage();
const listeners = new Set<(lang: Lang) => void>();
document.documentElement.lang = current;

export function getLanguage(): Lang {
  return current;
}

export function setLanguage(lang: Lang): void {
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    // storage disabled: the choice lasts for this page only
  }
  if (lang === current) return;
  current = lang;
  document.documentElement.lang = lang;
  for (const listener of listeners) listener(lang);
}

export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

/** The current language, a setter, and `t` bound to the language; re-renders on every switch. */
export function useI18n(): { lang: Lang; setLang: (lang: Lang) => void; t: Translate } {
  const [lang, setLang] = useState(current);
  useEffect(() => {
    listeners.add(setLang);
    setLang(current);
    return () => {
      listeners.delete(setLang);
    };
  }, []);
  return { lang, setLang: setLanguage, t: (key, params) => translate(lang, key, params) };
}
