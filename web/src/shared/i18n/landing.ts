// Strings of the landing page: the interfaces and the node's status.
// English and German; ../i18n.ts joins all areas into one dictionary per language.

export const en = {
  'landing.tagline':
    'Self-hosted remote support: customers ask for help, technicians see their screen, managers watch it all live — on your own servers.',
  'landing.uis': 'Interfaces',
  'landing.comingSoon': 'Coming soon',
  'ui.portal.name': 'Customer portal',
  'ui.portal.description': 'Customers request help, wait in the queue and share their screen with a technician.',
  'ui.console.name': 'Technician console',
  'ui.console.description': 'Technicians pick up requests, chat, view screens and hand sessions over to colleagues.',
  'ui.management.name': 'Management Center',
  'ui.management.description':
    'Managers set up portals, teams and business hours, and follow live dashboards and reports.',
  'status.loading': 'Connecting to node…',
  'status.line': 'Node {node} · version {version} · up {uptime}',
  'status.error': 'Node status unavailable: {message}',
  'landing.open': 'Open',

  // Landing page: where the portal and the console live
  'landing.portalAddress': 'Each portal has its own address:',
  'landing.portalDemo': 'Open the demo portal',
};

export type LandingKey = keyof typeof en;

export const de: Record<LandingKey, string> = {
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
  'landing.open': 'Öffnen',

  // Startseite: wo Portal und Konsole zu finden sind
  'landing.portalAddress': 'Jedes Portal hat seine eigene Adresse:',
  'landing.portalDemo': 'Demo-Portal öffnen',
};
