// Where customers and web sites reach a saved portal: its page, its public
// status, and for a SmartButton portal the snippet for the company's pages.
import { useI18n } from '../../shared/i18n';
import type { Portal } from '../api';
import { useNotify } from '../notify';

interface PortalAddressesProps {
  portal: Portal;
  /** The account id (from GET /auth/me). */
  account: string;
}

export function smartButtonSnippet(origin: string, account: string, slug: string): string {
  return `<script src="${origin}/embed/smartbutton.js" data-account="${account}" data-portal="${slug}" async></script>`;
}

export function PortalAddresses({ portal, account }: PortalAddressesProps) {
  const { t } = useI18n();
  const notify = useNotify();
  const origin = location.origin;
  const accountPart = encodeURIComponent(account);
  const slugPart = encodeURIComponent(portal.slug);
  const customerUrl = `${origin}/p/${accountPart}/${slugPart}`;
  const statusUrl = `${origin}/api/v1/public/portals/${accountPart}/${slugPart}/status`;
  const snippet = portal.type === 'smartbutton' ? smartButtonSnippet(origin, accountPart, slugPart) : undefined;

  const copy = async (text: string) => {
    try {
      await navigator.clipboard.writeText(text);
      notify(t('portals.copied'));
    } catch {
      notify(t('portals.copyFailed'));
    }
  };

  return (
    <div class="card" data-testid="portal-addresses">
      <h2>{t('portals.addresses')}</h2>
      <dl class="addresses">
        <div class="address">
          <dt>{t('portals.customerUrl')}</dt>
          <dd>
            <a href={customerUrl} target="_blank" rel="noopener" data-testid="portal-customer-url">
              {customerUrl}
            </a>
          </dd>
        </div>
        <div class="address">
          <dt>{t('portals.statusUrl')}</dt>
          <dd>
            <code data-testid="portal-status-url">{statusUrl}</code>
            <p class="field-hint">{t('portals.statusUrl.hint')}</p>
          </dd>
        </div>
      </dl>
      {snippet && (
        <div class="snippet">
          <h3>{t('portals.snippet')}</h3>
          <p class="field-hint">{t('portals.snippet.hint')}</p>
          <pre class="format snippet-code">
            <code data-testid="smartbutton-snippet">{snippet}</code>
          </pre>
          <button type="button" class="btn btn-small" data-testid="smartbutton-copy" onClick={() => copy(snippet)}>
            {t('portals.copy')}
          </button>
        </div>
      )}
    </div>
  );
}
