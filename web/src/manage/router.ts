// Hash routes: #/teams, #/people, #/people/new, #/people/<id>, #/bulk,
// #/managers, #/portals, #/portals/new, #/portals/<id>, #/audit, #/settings.
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
  | { page: 'audit' }
  | { page: 'settings' };

export type Section = 'teams' | 'people' | 'bulk' | 'managers' | 'portals' | 'audit' | 'settings';

export function parseHash(hash: string): Route {
  const parts = hash
    .replace(/^#\/?/, '')
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
    case 'bulk':
    case 'managers':
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
    default:
      return `#/${route.page}`;
  }
}

/** The navigation section a route belongs to. */
export function sectionOf(route: Route): Section {
  switch (route.page) {
    case 'technician-new':
    case 'technician':
      return 'people';
    case 'portal-new':
    case 'portal':
      return 'portals';
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
