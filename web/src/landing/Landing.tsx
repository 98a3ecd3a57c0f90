import type { FunctionComponent } from 'preact';
import { useI18n, type MessageKey } from '../shared/i18n';
import { LanguageSwitch } from '../shared/LanguageSwitch';
import { Logo } from '../shared/Logo';
import { ConsoleIcon, ManagementIcon, PortalIcon } from './icons';
import { NodeStatus } from './NodeStatus';

interface Ui {
  id: string;
  name: MessageKey;
  description: MessageKey;
  Icon: FunctionComponent;
  /** Where the UI lives, once it exists. */
  href?: string;
}

/** The demo account's help desk portal (created by `--demo`). */
const DEMO_PORTAL = '/p/demo/help';

const uis: Ui[] = [
  { id: 'portal', name: 'ui.portal.name', description: 'ui.portal.description', Icon: PortalIcon },
  {
    id: 'console',
    name: 'ui.console.name',
    description: 'ui.console.description',
    Icon: ConsoleIcon,
    href: '/console/',
  },
  {
    id: 'management',
    name: 'ui.management.name',
    description: 'ui.management.description',
    Icon: ManagementIcon,
    href: '/manage/',
  },
];

export function Landing() {
  const { t } = useI18n();
  return (
    <div class="page">
      <header class="topbar">
        <LanguageSwitch />
      </header>

      <main class="content">
        <section class="hero">
          <Logo />
          <h1>openassist</h1>
          <p class="tagline">{t('landing.tagline')}</p>
        </section>

        <section class="uis" aria-labelledby="uis-heading">
          <h2 id="uis-heading">{t('landing.uis')}</h2>
          <ul class="ui-list">
            {uis.map(({ id, name, description, Icon, href }) => (
              <li key={id} class={href ? 'ui-card ui-card-link' : 'ui-card'} data-testid={`ui-${id}`}>
                <span class="ui-icon">
                  <Icon />
                </span>
                <h3>{href ? <a href={href}>{t(name)}</a> : t(name)}</h3>
                <p>{t(description)}</p>
                {id === 'portal' ? (
                  <div class="ui-address" data-testid="portal-address">
                    <span>
                      {t('landing.portalAddress')} <code>{'/p/<account>/<slug>'}</code>
                    </span>
                    <a class="badge badge-open" href={DEMO_PORTAL} data-testid="portal-demo">
                      {t('landing.portalDemo')} →
                    </a>
                  </div>
                ) : href ? (
                  <span class="badge badge-open" aria-hidden="true">
                    {t('landing.open')} →
                  </span>
                ) : (
                  <span class="badge">{t('landing.comingSoon')}</span>
                )}
              </li>
            ))}
          </ul>
        </section>
      </main>

      <footer class="footer">
        <NodeStatus />
      </footer>
    </div>
  );
}
