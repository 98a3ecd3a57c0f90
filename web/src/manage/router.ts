// Hash routes: #/teams, #/people, #/people/new, #/people/<id>, #/bulk,
// #/managers, #/portals, #/portals/new, #/portals/<id>, #/hours, #/hours/new,
// #/hours/<id>, #/sessions, #/sessions/<id> (?live=1: watching it live at once),
// #/dashboards, #/reports (#/reports/monthly: the monthly reports), #/account, #/audit, #/settings; and,
// without a session, #/forgot and #/reset?token=<token> (the link of the
// password-reset e-mail).
import { useEffect, useState } from 'preact/hooks';

export type Route =
  | { page: 'teams' }
  | { page: 'people' }
  | { page: 'technician-new' }
  | { page: 'technician'; id: string }
  | { page: 'bulk' }
  | { page: 'managers' }
  | { page: 'portals' }
  | { page: 'portal-new' }
  | { page: 'portal'; id: string }
  | { page: 'hours' }
  | { page: 'hours-new' }
  | { page: 'hours-set'; id: string }
  | { page: 'sessions' }
  | { page: 'session'; id: string; live?: boolean }
  | { page: 'dashboards' }
  | { page: 'reports'; monthly?: boolean }
  | { page: 'account' }
  | { page: 'audit' }
  | { page: 'settings' }
  | { page: 'forgot' }
  | { page: 'reset'; token: string };

export type Section =
  | 'teams'
  | 'people'
  | 'bulk'
  | 'sessions'
  | 'dashboards'
  | 'reports'
  | 'managers'
  | 'portals'
  | 'hours'
  | 'account'
  | 'audit'
  | 'settings';

export function parseHash(hash: string): Route {
  const rest = hash.replace(/^#\/?/, '');
  const q = rest.indexOf('?');
  const path = q < 0 ? rest : rest.slice(0, q);
  const query = new URLSearchParams(q < 0 ? '' : rest.slice(q + 1));
  const parts = path
    .split('/')
    .filter((p) => p !== '')
    .map((p) => {
      try {
        return decodeURIComponent(p);
      } catch {
        return p;
      }
    });
  const [first, second] = parts;
  switch (first) {
    case 'people':
      if (second === undefined) return { page: 'people' };
      return second === 'new' ? { page: 'technician-new' } : { page: 'technician', id: second };
    case 'portals':
      if (second === undefined) return { page: 'portals' };
      return second === 'new' ? { page: 'portal-new' } : { page: 'portal', id: second };
    case 'hours':
      if (second === undefined) return { page: 'hours' };
      return second === 'new' ? { page: 'hours-new' } : { page: 'hours-set', id: second };
    case 'sessions':
      if (second === undefined) return { page: 'sessions' };
      return query.get('live') === '1' ? { page: 'session', id: second, live: true } : { page: 'session', id: second };
    case 'reset':
      return { page: 'reset', token: query.get('token') ?? '' };
    case 'reports':
      return second === 'monthly' ? { page: 'reports', monthly: true } : { page: 'reports' };
    case 'forgot':
    case 'bulk':
    case 'dashboards':
    case 'managers':
    case 'account':
    case 'audit':
    case 'settings':
      return { page: first };
    default:
      return { page: 'teams' };
  }
}

export function href(route: Route): string {
  switch (route.page) {
    case 'technician-new':
      return '#/people/new';
    case 'technician':
      return `#/people/${encodeURIComponent(route.id)}`;
    case 'portal-new':
      return '#/portals/new';
    case 'portal':
      return `#/portals/${encodeURIComponent(route.id)}`;
    case 'hours-new':
      return '#/hours/new';
    case 'hours-set':
      return `#/hours/${encodeURIComponent(route.id)}`;
    case 'session':
      return `#/sessions/${encodeURIComponent(route.id)}${route.live ? '?live=1' : ''}`;
    case 'reports':
      return route.monthly ? '#/reports/monthly' : '#/reports';
    case 'reset':
      return `#/reset?${new URLSearchParams({ token: route.token }).toString()}`;
    default:
      return `#/${route.page}`;
  }
}

/** The navigation section a route belongs to (the public pages have none, and count as the start page). */
export function sectionOf(route: Route): Section {
  switch (route.page) {
    case 'forgot':
    case 'reset':
      return 'teams';
    case 'hours-new':
    case 'hours-set':
      return 'hours';
    case 'technician-new':
    case 'technician':
      return 'people';
    case 'portal-new':
    case 'portal':
      return 'portals';
    case 'session':
      return 'sessions';
    default:
      return route.page;
  }
}

export function navigate(route: Route): void {
  location.hash = href(route);
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseHash(location.hash));
  useEffect(() => {
    const update = () => setRoute(parseHash(location.hash));
    window.addEventListener('hashchange', update);
    return () => window.removeEventListener('hashchange', update);
  }, []);
  return route;
}
