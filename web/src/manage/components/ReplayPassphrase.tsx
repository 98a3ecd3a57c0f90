// A portal's replay passphrase (docs/recording.md, company managers only):
// whether one is set, the generations so far with their dates, and a form to
// set a new one, with the warning that it can be neither reset nor recovered
// and that older recordings keep needing the passphrase of their time.
import { useState } from 'preact/hooks';
import { chatChars } from '../../shared/chat';
import { formatDateTime } from '../../shared/format';
import { useI18n } from '../../shared/i18n';
import { ApiError } from '../../shared/api';
import { REPLAY_PASSPHRASE_MIN, setReplayPassphrase, type Id, type ReplayKeyGeneration } from '../api';
import { errorText } from '../errors';
import { Invalid, useFormSubmit, type Load } from '../hooks';
import { useNotify } from '../notify';
import { useConfirm } from './ConfirmDialog';
import { TextField } from './Fields';
import { FormError, LoadState } from './Status';

interface ReplayPassphraseProps {
  portalId: Id;
  /** The portal's generations, newest first. */
  keys: Load<ReplayKeyGeneration[]>;
  /** After a new passphrase was set. */
  onSet: () => void;
}

const isForbidden = (error: unknown) => error instanceof ApiError && error.status === 403;

export function ReplayPassphrase({ portalId, keys, onSet }: ReplayPassphraseProps) {
  const { t } = useI18n();
  return (
    <section class="card" data-testid="replay-passphrase" aria-labelledby="replay-passphrase-title">
      <h2 id="replay-passphrase-title">{t('replayKey.title')}</h2>
      {keys.state === 'loading' ? (
        <LoadState load={keys} />
      ) : keys.state === 'error' ? (
        isForbidden(keys.error) ? (
          <p class="muted" data-testid="replay-passphrase-forbidden">
            {t('replayKey.forbidden')}
          </p>
        ) : (
          <div class="form-error" role="alert" data-testid="replay-passphrase-error">
            {t('replayKey.loadFailed', { message: errorText(t, keys.error) })}
          </div>
        )
      ) : (
        <>
          <Generations generations={keys.data} />
          <PassphraseForm portalId={portalId} replacing={keys.data.length > 0} onSet={onSet} />
        </>
      )}
    </section>
  );
}

function Generations({ generations }: { generations: ReplayKeyGeneration[] }) {
  const { t, lang } = useI18n();
  const current = generations[0];
  if (!current) {
    return (
      <p data-testid="replay-passphrase-state" data-set="false">
        {t('replayKey.notSet')}
      </p>
    );
  }
  return (
    <>
      <p data-testid="replay-passphrase-state" data-set="true" data-generation={current.generation}>
        {t('replayKey.isSet', { date: formatDateTime(lang, current.created_ms) })}
      </p>
      <h3>{t('replayKey.generations')}</h3>
      <ul class="replay-generations" data-testid="replay-key-generations">
        {generations.map((g) => (
          <li key={g.generation} data-testid="replay-key-generation" data-generation={g.generation}>
            {t('replayKey.generation', { n: g.generation, date: formatDateTime(lang, g.created_ms) })}
            {g === current && <span class="replay-current">{t('replayKey.current')}</span>}
          </li>
        ))}
      </ul>
    </>
  );
}

const FIELDS = ['passphrase', 'repeat'] as const;

function PassphraseForm({ portalId, replacing, onSet }: { portalId: Id; replacing: boolean; onSet: () => void }) {
  const { t } = useI18n();
  const notify = useNotify();
  const { ask, dialog } = useConfirm();
  const [passphrase, setPassphrase] = useState('');
  const [repeat, setRepeat] = useState('');

  const { submit, busy, errors } = useFormSubmit<ReplayKeyGeneration | undefined>({
    fields: FIELDS,
    send: () => {
      if (chatChars(passphrase) < REPLAY_PASSPHRASE_MIN)
        return new Invalid({ fields: { passphrase: t('replayKey.hint', { min: REPLAY_PASSPHRASE_MIN }) } });
      if (repeat !== passphrase) return new Invalid({ fields: { repeat: t('replayKey.mismatch') } });
      return (async () => {
        if (replacing) {
          const ok = await ask(t('replayKey.confirm.title'), t('replayKey.confirm.message'), t('replayKey.submitNew'));
          if (!ok) return undefined;
        }
        return setReplayPassphrase(portalId, passphrase);
      })();
    },
    onDone: (set) => {
      if (!set) return;
      notify(t('replayKey.saved', { n: set.generation }));
      setPassphrase('');
      setRepeat('');
      onSet();
    },
  });

  return (
    <form class="form replay-passphrase-form" data-testid="replay-passphrase-form" onSubmit={submit}>
      {dialog}
      <div class="warning" data-testid="replay-passphrase-warning">
        <p>{t('replayKey.warning')}</p>
        <p>{t('replayKey.warningNew')}</p>
      </div>
      <FormError message={errors.top} />
      <div class="form-grid">
        <TextField
          name="passphrase"
          type="password"
          autoComplete="new-password"
          label={t('replayKey.passphrase')}
          hint={t('replayKey.hint', { min: REPLAY_PASSPHRASE_MIN })}
          value={passphrase}
          onValue={setPassphrase}
          required
          error={errors.fields.passphrase}
        />
        <TextField
          name="repeat"
          type="password"
          autoComplete="new-password"
          label={t('replayKey.repeat')}
          value={repeat}
          onValue={setRepeat}
          required
          error={errors.fields.repeat}
        />
      </div>
      <div class="form-actions">
        <button type="submit" class="btn btn-primary" data-testid="replay-passphrase-submit" disabled={busy}>
          {replacing ? t('replayKey.submitNew') : t('replayKey.submit')}
        </button>
      </div>
    </form>
  );
}
