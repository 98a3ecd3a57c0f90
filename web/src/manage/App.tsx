// The Management Center: checks the session, shows the login or the layout
// with the page the hash names. A technician a manager let in (feature
// `management_center`) gets a limited one: the Reports and Sessions pages, on
// their own sessions (with `reports_self` too; else it says that they may
// not); without it, a page that says so, with sign-out.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { setLanguage, useI18n, type MessageKey } from '../shared/i18n';
import { LanguageSwitch } from '../shared/LanguageSwitch';
import { Logo } from '../shared/Logo';
import { currentUser, isTechnician, logout, mayManage, mayReport, onSessionLost, type User } from './api';
import { AuthShell } from './components/AuthShell';
import { roleLabel } from './labels';
import { LoadError, Loading, Notice, PageHeader } from './components/Status';
import { NotifyContext } from './notify';
import { AccountPage } from './pages/AccountPage';
import { AuditPage } from './pages/AuditPage';
import { BulkPage } from './pages/BulkPage';
import { BusinessHoursEditPage } from './pages/BusinessHoursEditPage';
import { BusinessHoursPage } from './pages/BusinessHoursPage';
import { DashboardsPage } from './pages/DashboardsPage';
import { ForgotPasswordPage } from './pages/ForgotPasswordPage';
import { LoginPage } from './pages/LoginPage';
import { ManagersPage } from './pages/ManagersPage';
import { PeoplePage } from './pages/PeoplePage';
import { PortalEditPage } from './pages/PortalEditPage';
import { PortalsPage } from './pages/PortalsPage';
import { ReportsPage } from './pages/ReportsPage';
import { ResetPasswordPage } from './pages/ResetPasswordPage';
import { SessionPage } from './pages/SessionPage';
import { SessionsPage } from './pages/SessionsPage';
import { SettingsPage } from './pages/SettingsPage';
import { TeamsPage } from './pages/TeamsPage';
import { TechnicianNewPage } from './pages/TechnicianNewPage';
import { TechnicianPage } from './pages/TechnicianPage';
import { href, sectionOf, useRoute, type Route, type Section } from './router';

type SessionState =
  | { kind: 'checking' }
  | { kind: 'failed'; error: unknown }
  | { kind: 'anonymous'; expired: boolean }
  | { kind: 'ready'; user: User };

const isCompanyManager = (user: User) => user.role === 'company_manager';

const NOTICE_MS = 8000;
const NOTICE_CARRY_MS = 1500;

interface NavItem {
  section: Section;
  label: MessageKey;
  companyOnly: boolean;
}

const nav: readonly NavItem[] = [
  { section: 'teams', label: 'nav.teams', companyOnly: false },
  { section: 'people', label: 'nav.people', companyOnly: false },
  { section: 'bulk', label: 'nav.bulk', companyOnly: false },
  { section: 'sessions', label: 'nav.sessions', companyOnly: false },
  { section: 'dashboards', label: 'nav.dashboards', companyOnly: false },
  { section: 'reports', label: 'nav.reports', companyOnly: false },
  { section: 'managers', label: 'nav.managers', companyOnly: true },
  { section: 'portals', label: 'nav.portals', companyOnly: true },
  { section: 'hours', label: 'nav.hours', companyOnly: true },
  { section: 'account', label: 'nav.account', companyOnly: true },
  { section: 'audit', label: 'nav.audit', companyOnly: true },
  { section: 'settings', label: 'nav.settings', companyOnly: false },
];

export function App() {
  const { t } = useI18n();
  const route = useRoute();
  const [session, setSession] = useState<SessionState>({ kind: 'checking' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const abort = new AbortController();
    currentUser(abort.signal).then(
      (user) => setSession(user ? { kind: 'ready', user } : { kind: 'anonymous', expired: false }),
      (error: unknown) => {
        if (!abort.signal.aborted) setSession({ kind: 'failed', error });
      },
    );
    return () => abort.abort();
  }, [attempt]);

  useEffect(() => {
    onSessionLost(() => setSession({ kind: 'anonymous', expired: true }));
    return () => onSessionLost(undefined);
  }, []);

  // The forgotten-password pages need no session, and show with or without one.
  if (route.page === 'forgot') return <ForgotPasswordPage />;
  if (route.page === 'reset') return <ResetPasswordPage key={route.token} token={route.token} />;

  switch (session.kind) {
    case 'checking':
      return (
        <div class="center-page">
          <Loading />
        </div>
      );
    case 'failed':
      return (
        <div class="center-page">
          <LoadError error={session.error} onRetry={() => setAttempt((a) => a + 1)} />
        </div>
      );
    case 'anonymous':
      return (
        <LoginPage
          expired={session.expired}
          onLogin={(user) => {
            if (user.language) setLanguage(user.language);
            // The account id is part of every portal address, and what a
            // technician may open decides the page; the sign-in answer may not
            // name them, GET /auth/me does: ask it then.
            if (user.account && (!isTechnician(user) || user.may)) setSession({ kind: 'ready', user });
            else {
              setSession({ kind: 'checking' });
              setAttempt((a) => a + 1);
            }
          }}
        />
      );
    case 'ready':
      if (!mayManage(session.user))
        return <NoAccess user={session.user} onLogout={() => setSession({ kind: 'anonymous', expired: false })} />;
      return (
        <Layout
          user={session.user}
          onUser={(user) =>
            // Saved settings answer with the user without the account id (and what it may), which stay those of the session.
            setSession((s) => ({
              kind: 'ready',
              user: {
                ...user,
                account: user.account || (s.kind === 'ready' ? s.user.account : ''),
                may: user.may ?? (s.kind === 'ready' ? s.user.may : undefined),
              },
            }))
          }
          onLogout={() => setSession({ kind: 'anonymous', expired: false })}
          title={t('app.title')}
        />
      );
  }
}

interface LayoutProps {
  user: User;
  onUser: (user: User) => void;
  onLogout: () => void;
  title: string;
}

function Layout({ user, onUser, onLogout, title }: LayoutProps) {
  const { t } = useI18n();
  const route = useRoute();
  const technician = isTechnician(user);
  // A technician's Management Center has the Reports page (their start page too) and, when they may report, their Sessions.
  const section = technician ? (technicianOnSessions(route) ? 'sessions' : 'reports') : sectionOf(route);
  const current = technician ? technicianOnReports(route) || technicianOnSessions(route) : true;
  const company = isCompanyManager(user);
  const [notice, setNotice] = useState<string>();
  const timer = useRef<ReturnType<typeof setTimeout>>();
  const noticeAt = useRef(0);
  const noticeCarries = useRef(false);
  const [loggingOut, setLoggingOut] = useState(false);

  const notify = useCallback((message: string) => {
    setNotice(message);
    noticeAt.current = Date.now();
    noticeCarries.current = true;
    clearTimeout(timer.current);
    timer.current = setTimeout(() => setNotice(undefined), NOTICE_MS);
  }, []);
  useEffect(() => () => clearTimeout(timer.current), []);

  // A notice belongs to the page it was given on, or to the page a save
  // navigated to right after giving it; any other move clears it.
  const routeKey = href(route);
  const firstRoute = useRef(true);
  useEffect(() => {
    if (firstRoute.current) {
      firstRoute.current = false;
      return;
    }
    if (noticeCarries.current && Date.now() - noticeAt.current < NOTICE_CARRY_MS) noticeCarries.current = false;
    else setNotice(undefined);
  }, [routeKey]);

  useEffect(() => {
    document.title = `${t(navLabel(section))} · ${title}`;
  }, [section, title, t(navLabel(section))]);

  const doLogout = async () => {
    setLoggingOut(true);
    try {
      await logout();
    } catch {
      // The session is forgotten on this side either way.
    }
    onLogout();
  };

  const name = `${user.first_name} ${user.last_name}`.trim() || user.email;

  return (
    <NotifyContext.Provider value={notify}>
      <div class="shell">
        <header class="app-header">
          <a class="brand" href={href({ page: technician ? 'reports' : 'teams' })}>
            <Logo />
            <span class="brand-name">openassist</span>
            <span class="brand-product">{t('app.title')}</span>
          </a>
          <div class="header-tools">
            <p class="whoami" data-testid="whoami">
              <span class="whoami-name" data-testid="whoami-name">
                {name}
              </span>
              <span
                class="whoami-role"
                data-testid="whoami-role"
                data-role={user.role}
                title={technician ? t('tech.signedInAs', { name }) : undefined}
              >
                {t(roleLabel[user.role])}
              </span>
            </p>
            <LanguageSwitch />
            <button type="button" class="btn btn-small" data-testid="logout" disabled={loggingOut} onClick={doLogout}>
              {t('auth.logout')}
            </button>
          </div>
        </header>

        <nav class="app-nav" aria-label={t('nav.label')}>
          <ul>
            {nav
              .filter((item) =>
                technician
                  ? item.section === 'reports' || (item.section === 'sessions' && mayReport(user))
                  : company || !item.companyOnly,
              )
              .map((item) => (
                <li key={item.section}>
                  <a
                    href={`#/${item.section}`}
                    data-testid={`nav-${item.section}`}
                    aria-current={current && item.section === section ? 'page' : undefined}
                  >
                    {t(item.label)}
                  </a>
                </li>
              ))}
          </ul>
        </nav>

        <main class="app-main">
          <Notice message={notice} />
          {technician ? <TechnicianView route={route} user={user} /> : <Page route={route} user={user} onUser={onUser} />}
        </main>
      </div>
    </NotifyContext.Provider>
  );
}

/** Whether a technician's address shows their reports: #/reports, or no address (the start page). */
function technicianOnReports(route: Route): boolean {
  return route.page === 'reports' || (route.page === 'teams' && /^#?\/?$/.test(location.hash));
}

/** Whether a technician's address shows their sessions: #/sessions or #/sessions/<id>. */
function technicianOnSessions(route: Route): boolean {
  return route.page === 'sessions' || route.page === 'session';
}

/** A technician's Sessions or Reports page while a manager has not allowed them their own reports. */
function NotAllowed({ page, title }: { page: 'sessions' | 'reports'; title: string }) {
  const { t } = useI18n();
  return (
    <section aria-labelledby={`${page}-title`} data-testid={`${page}-not-allowed`}>
      <PageHeader id={`${page}-title`} title={title} />
      <div class="card">
        <p>{t('tech.reportsNotAllowed')}</p>
      </div>
    </section>
  );
}

/**
 * A technician's page: their reports (the start page too) or their sessions
 * (the list, one session without its recording or live watching), or that a
 * manager has not allowed them; any other address says it is for managers,
 * and loads nothing (its calls would be refused).
 */
function TechnicianView({ route, user }: { route: Route; user: User }) {
  const { t } = useI18n();
  if (technicianOnSessions(route)) {
    if (!mayReport(user)) return <NotAllowed page="sessions" title={t('sessions.title')} />;
    if (route.page === 'session') return <SessionPage key={route.id} id={route.id} user={user} />;
    return (
      <>
        <p class="notice notice-info" data-testid="own-sessions">
          {t('tech.ownReports')}
        </p>
        <SessionsPage user={user} />
      </>
    );
  }
  if (!technicianOnReports(route))
    return (
      <div class="card" data-testid="forbidden">
        <p>{t('tech.managersOnly')}</p>
        <p>
          <a href={href({ page: 'reports' })} data-testid="to-reports">
            {t('tech.toReports')}
          </a>
        </p>
      </div>
    );
  if (!mayReport(user)) return <NotAllowed page="reports" title={t('reports.title')} />;
  return (
    <>
      <p class="notice notice-info" data-testid="own-reports">
        {t('tech.ownReports')}
      </p>
      <ReportsPage user={user} monthly={route.page === 'reports' && route.monthly === true} />
    </>
  );
}

/**
 * A technician without Management Center access (feature `management_center`):
 * says so, who is signed in, and offers the console and signing out.
 */
function NoAccess({ user, onLogout }: { user: User; onLogout: () => void }) {
  const { t } = useI18n();
  const [loggingOut, setLoggingOut] = useState(false);
  const name = `${user.first_name} ${user.last_name}`.trim() || user.email;
  const doLogout = async () => {
    setLoggingOut(true);
    try {
      await logout();
    } catch {
      // The session is forgotten on this side either way.
    }
    onLogout();
  };
  return (
    <AuthShell title={t('tech.noAccess.title')}>
      <div data-testid="no-access">
        <p class="notice notice-info" role="status" data-testid="no-access-text">
          {t('tech.noAccess.text')}
        </p>
        <p class="muted" data-testid="no-access-who">
          {t('tech.signedInAs', { name })}
        </p>
        <div class="login-actions">
          <button type="button" class="btn btn-primary" data-testid="logout" disabled={loggingOut} onClick={doLogout}>
            {t('auth.logout')}
          </button>
          <a class="btn" href="/console/" data-testid="to-console">
            {t('tech.console')}
          </a>
        </div>
      </div>
    </AuthShell>
  );
}

function navLabel(section: Section): MessageKey {
  return nav.find((n) => n.section === section)?.label ?? 'nav.teams';
}

function Page({ route, user, onUser }: { route: Route; user: User; onUser: (user: User) => void }) {
  const { t } = useI18n();
  const company = isCompanyManager(user);
  const companyOnly = () => (
    <div class="card" data-testid="forbidden">
      <p>{t('common.companyOnly')}</p>
    </div>
  );
  switch (route.page) {
    case 'teams':
      return <TeamsPage user={user} />;
    case 'people':
      return <PeoplePage />;
    case 'technician-new':
      return <TechnicianNewPage />;
    case 'technician':
      return <TechnicianPage key={route.id} id={route.id} user={user} />;
    case 'bulk':
      return <BulkPage />;
    case 'sessions':
      return <SessionsPage user={user} />;
    case 'session':
      return <SessionPage key={route.id} id={route.id} user={user} live={route.live === true} />;
    case 'dashboards':
      return <DashboardsPage user={user} />;
    case 'reports':
      return <ReportsPage user={user} monthly={route.monthly === true} />;
    case 'managers':
      return company ? <ManagersPage user={user} /> : companyOnly();
    case 'portals':
      return company ? <PortalsPage /> : companyOnly();
    case 'portal-new':
      return company ? <PortalEditPage account={user.account} /> : companyOnly();
    case 'portal':
      return company ? <PortalEditPage key={route.id} id={route.id} account={user.account} /> : companyOnly();
    case 'hours':
      return company ? <BusinessHoursPage /> : companyOnly();
    case 'hours-new':
      return company ? <BusinessHoursEditPage /> : companyOnly();
    case 'hours-set':
      return company ? <BusinessHoursEditPage key={route.id} id={route.id} /> : companyOnly();
    case 'account':
      return company ? <AccountPage /> : companyOnly();
    case 'audit':
      return company ? <AuditPage user={user} /> : companyOnly();
    case 'settings':
      return <SettingsPage user={user} onUser={onUser} />;
    case 'forgot':
    case 'reset':
      // Shown by App itself, before the session matters.
      return null;
  }
}
