// The customer portal at /p/<account>/<slug>: the portal's form (or a
// "closed" notice), and after a request the live view that follows it. A
// request stored in this tab goes straight to the live view; so does one this
// browser remembers (a new tab) and one named by a resume link from the
// confirmation mail (`#request=<id>&token=<token>`), with a way out for
// someone else at the same computer ("not you? start a new request").
import { useCallback, useEffect, useState } from 'preact/hooks';
import { ApiError } from '../shared/api';
import { errorText } from '../shared/errors';
import { useI18n } from '../shared/i18n';
import { getPortal, portalAddress, type CreatedRequest, type PublicPortal, type RequestView } from './api';
import { ClosedNotice } from './ClosedNotice';
import { LiveView } from './LiveView';
import { PortalShell } from './PortalShell';
import { RequestForm } from './RequestForm';
import {
  clearRequest,
  forgetInBrowser,
  loadBrowserRequest,
  loadRequest,
  requestFromHash,
  saveRequest,
  type StoredRequest,
} from './storage';

type PortalLoad =
  | { state: 'loading' }
  | { state: 'missing' }
  | { state: 'error'; error: unknown }
  | { state: 'ok'; data: PublicPortal };

interface Following {
  stored: StoredRequest;
  /** What the 201 said, shown until the live state arrives. */
  initial?: RequestView;
  /** Not started in this page: from the browser's memory or a resume link. */
  resumed?: boolean;
}

/** The request to follow when the page opens: a resume link's, this tab's, or this browser's. */
function initialRequest(account: string, slug: string): Following | undefined {
  if (location.hash !== '') {
    const linked = requestFromHash(location.hash);
    // The token leaves the address bar (and the history) at once.
    history.replaceState(history.state, '', location.pathname + location.search);
    if (linked) {
      saveRequest(account, slug, linked);
      return { stored: linked, resumed: true };
    }
  }
  const stored = loadRequest(account, slug);
  if (stored) return { stored };
  const remembered = loadBrowserRequest(account, slug);
  if (!remembered) return undefined;
  saveRequest(account, slug, remembered);
  return { stored: remembered, resumed: true };
}

export function App() {
  const [address] = useState(() => portalAddress(location.pathname));
  if (!address) return <NotFound />;
  return <Portal account={address.account} slug={address.slug} />;
}

function Portal({ account, slug }: { account: string; slug: string }) {
  const { t } = useI18n();
  const [load, setLoad] = useState<PortalLoad>({ state: 'loading' });
  const [generation, setGeneration] = useState(0);
  const [following, setFollowing] = useState<Following | undefined>(() => initialRequest(account, slug));
  /** The followed request is over (or unknown): nothing to resume any more. */
  const [ended, setEnded] = useState(false);

  // A reload keeps what is shown until the new answer is there.
  useEffect(() => {
    const abort = new AbortController();
    getPortal(account, slug, abort.signal).then(
      (data) => setLoad({ state: 'ok', data }),
      (error: unknown) => {
        if (abort.signal.aborted) return;
        if (error instanceof ApiError && error.status === 404) setLoad({ state: 'missing' });
        else setLoad((previous) => (previous.state === 'ok' ? previous : { state: 'error', error }));
      },
    );
    return () => abort.abort();
  }, [account, slug, generation]);

  const reload = useCallback(() => setGeneration((g) => g + 1), []);

  const started = (created: CreatedRequest) => {
    const stored = { request_id: String(created.request_id), token: created.token };
    saveRequest(account, slug, stored);
    setFollowing({
      stored,
      initial: {
        id: stored.request_id,
        status: created.status,
        position: created.position,
        estimated_wait_s: created.estimated_wait_s,
        technician: null,
        outcome: null,
        message: '',
        can_rate: false,
        rating: 0,
      },
    });
  };

  const startOver = () => {
    clearRequest(account, slug);
    setFollowing(undefined);
    setEnded(false);
    reload();
  };

  const over = useCallback(() => {
    setEnded(true);
    if (following) forgetInBrowser(account, slug, following.stored.request_id);
  }, [account, slug, following?.stored.request_id]);

  const portal = load.state === 'ok' ? load.data : undefined;
  const title = portal ? portal.portal.title || portal.portal.name : undefined;

  if (following) {
    return (
      <PortalShell title={title} records={portal?.portal.records}>
        {following.resumed && !ended && (
          <div class="resume-notice" data-testid="resume-notice" role="status">
            <p>{t('portal.resume.notice', { id: following.stored.request_id })}</p>
            <button type="button" class="btn btn-small btn-ghost" data-testid="not-you" onClick={startOver}>
              {t('portal.resume.notYou')}
            </button>
          </div>
        )}
        <LiveView
          key={following.stored.request_id}
          account={account}
          slug={slug}
          stored={following.stored}
          initial={following.initial}
          onNewRequest={startOver}
          onOver={over}
        />
      </PortalShell>
    );
  }

  switch (load.state) {
    case 'loading':
      return (
        <PortalShell>
          <p class="loading" role="status" data-testid="loading">
            {t('portal.loading')}
          </p>
        </PortalShell>
      );
    case 'missing':
      return <NotFound />;
    case 'error':
      return (
        <PortalShell>
          <div class="form-error" role="alert" data-testid="load-error">
            <p>{t('portal.loadFailed', { message: errorText(t, load.error) })}</p>
            <button type="button" class="btn btn-small portal-retry" onClick={reload}>
              {t('portal.retry')}
            </button>
          </div>
        </PortalShell>
      );
    case 'ok': {
      const data = load.data;
      return (
        <PortalShell title={title} welcome={data.portal.welcome} records={data.portal.records}>
          {data.open.open ? (
            <RequestForm account={account} slug={slug} portal={data} onCreated={started} onStale={reload} />
          ) : (
            <ClosedNotice open={data.open} onOpening={reload} />
          )}
        </PortalShell>
      );
    }
  }
}

function NotFound() {
  const { t } = useI18n();
  return (
    <PortalShell title={t('portal.notFound.title')}>
      <p class="portal-message" data-testid="portal-not-found">
        {t('portal.notFound.text')}
      </p>
    </PortalShell>
  );
}
