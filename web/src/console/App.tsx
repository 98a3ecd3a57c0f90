// The technician console: checks the session (a technician's), shows the
// sign-in or the console.
import { useEffect, useState } from 'preact/hooks';
import { setLanguage, useI18n } from '../shared/i18n';
import { LoadError, Loading } from '../shared/Status';
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
      return <Loading />;
    case 'failed':
      return (
        <div class="console-center">
          <LoadError error={session.error} onRetry={() => setAttempt((a) => a + 1)} />
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
