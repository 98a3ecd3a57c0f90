// The technician console: checks the session (a technician's), shows the
// sign-in or the console.
import { useEffect, useState } from 'preact/hooks';
import { errorText } from '../shared/errors';
import { setLanguage, useI18n } from '../shared/i18n';
import { Console } from './Console';
import { currentUser, type User } from './api';
import { LoginPage } from './LoginPage';

type Session =
  | { kind: 'checking' }
  | { kind: 'failed'; error: unknown }
  /** `expired`: the console lost its session; `manager`: signed in, but not as a technician. */
  | { kind: 'anonymous'; reason?: 'expired' | 'manager' }
  | { kind: 'ready'; user: User };

export function App() {
  const { t } = useI18n();
  const [session, setSession] = useState<Session>({ kind: 'checking' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const abort = new AbortController();
    currentUser(abort.signal).then(
      (user) => {
        if (!user) setSession({ kind: 'anonymous' });
        else if (user.kind !== 'technician') setSession({ kind: 'anonymous', reason: 'manager' });
        else setSession({ kind: 'ready', user });
      },
      (error: unknown) => {
        if (!abort.signal.aborted) setSession({ kind: 'failed', error });
      },
    );
    return () => abort.abort();
  }, [attempt]);

  useEffect(() => {
    document.title = t('console.title');
  }, [t('console.title')]);

  switch (session.kind) {
    case 'checking':
      return (
        <p class="loading" role="status" data-testid="loading">
          {t('common.loading')}
        </p>
      );
    case 'failed':
      return (
        <div class="console-center">
          <div class="form-error" role="alert" data-testid="load-error">
            <p>{t('common.loadFailed', { message: errorText(t, session.error) })}</p>
            <button type="button" class="btn btn-small" onClick={() => setAttempt((a) => a + 1)}>
              {t('common.retry')}
            </button>
          </div>
        </div>
      );
    case 'anonymous':
      return (
        <LoginPage
          reason={session.reason}
          onLogin={(user) => {
            if (user.language) setLanguage(user.language);
            setSession({ kind: 'ready', user });
          }}
        />
      );
    case 'ready':
      return (
        <Console
          user={session.user}
          onSignedOut={(expired) => setSession({ kind: 'anonymous', reason: expired ? 'expired' : undefined })}
        />
      );
  }
}
