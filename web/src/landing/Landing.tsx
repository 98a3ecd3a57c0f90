import type { FunctionComponent } from 'preact';
import { useI18n, type MessageKey } from '../shared/i18n';
import { LanguageSwitch } from '../shared/LanguageSwitch';
import { ConsoleIcon, Logo, ManagementIcon, PortalIcon } from './icons';
import { NodeStatus } from './NodeStatus';

interface Ui {
  id: string;
  name: MessageKey;
  description: MessageKey;
  Icon: FunctionComponent;
}

const uis: Ui[] = [
  { id: 'portal', name: 'ui.portal.name', description: 'ui.portal.description', Icon: PortalIcon },
  { id: 'console', name: 'ui.console.name', description: 'ui.console.description', Icon: ConsoleIcon },
  { id: 'management', name: 'ui.management.name', description: 'ui.management.description', Icon: ManagementIcon },
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
            {uis.map(({ id, name, description, Icon }) => (
              <li key={id} class="ui-card" data-testid={`ui-${id}`}>
                <span class="ui-icon">
                  <Icon />
                </span>
                <h3>{t(name)}</h3>
                <p>{t(description)}</p>
                <span class="badge">{t('landing.comingSoon')}</span>
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
