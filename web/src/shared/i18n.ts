// Tiny i18n: English and German dictionaries, the language chosen from a stored
// preference or navigator.languages, and a hook that re-renders on a switch.
import { useEffect, useState } from 'preact/hooks';

export type Lang = 'en' | 'de';

export const languages: readonly { code: Lang; name: string }[] = [
  { code: 'en', name: 'English' },
  { code: 'de', name: 'Deutsch' },
];

const en = {
  'lang.label': 'Language',
  'landing.tagline':
    'Self-hosted remote support: customers ask for help, technicians see their screen, managers watch it all live — on your own servers.',
  'landing.uis': 'Interfaces',
  'landing.comingSoon': 'Coming soon',
  'ui.portal.name': 'Customer portal',
  'ui.portal.description': 'Customers request help, wait in the queue and share their screen with a technician.',
  'ui.console.name': 'Technician console',
  'ui.console.description': 'Technicians pick up requests, chat, view screens and hand sessions over to colleagues.',
  'ui.management.name': 'Management Center',
  'ui.management.description': 'Managers set up portals, teams and business hours, and follow live dashboards and reports.',
  'status.loading': 'Connecting to node…',
  'status.line': 'Node {node} · version {version} · up {uptime}',
  'status.error': 'Node status unavailable: {message}',
};

export type MessageKey = keyof typeof en;

const de: Record<MessageKey, string> = {
  'lang.label': 'Sprache',
  'landing.tagline':
    'Fernwartung auf eigenen Servern: Kunden bitten um Hilfe, Techniker sehen ihren Bildschirm, Manager behalten alles live im Blick.',
  'landing.uis': 'Oberflächen',
  'landing.comingSoon': 'Demnächst',
  'ui.portal.name': 'Kundenportal',
  'ui.portal.description':
    'Kunden fordern Hilfe an, warten in der Warteschlange und teilen ihren Bildschirm mit einem Techniker.',
  'ui.console.name': 'Technikerkonsole',
  'ui.console.description':
    'Techniker übernehmen Anfragen, chatten, sehen Bildschirme und übergeben Sitzungen an Kollegen.',
  'ui.management.name': 'Management Center',
  'ui.management.description':
    'Manager richten Portale, Teams und Geschäftszeiten ein und verfolgen Live-Dashboards und Berichte.',
  'status.loading': 'Verbindung zum Knoten…',
  'status.line': 'Knoten {node} · Version {version} · läuft seit {uptime}',
  'status.error': 'Knotenstatus nicht verfügbar: {message}',
};

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

export function translate(lang: Lang, key: MessageKey, params?: Record<string, string | number>): string {
  const template = dictionaries[lang][key];
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (match, name: string) => (name in params ? String(params[name]) : match));
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
