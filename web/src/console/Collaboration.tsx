// Colleagues in a session (docs/sessions.md, "Collaboration"): who is in it
// (hidden from the customer or not, with which rights, since when) and who
// is invited; the form with which the session's technician invites one
// colleague by name or anyone on the portal; and the confirmation before the
// technician leaves (the colleague present longest takes over, or the request
// goes back to the front of the queue).
import { useId, useState } from 'preact/hooks';
import { socketErrorText } from '../shared/errors';
import { formatTime } from '../shared/format';
import { useI18n, type Translate } from '../shared/i18n';
import {
  collaboratorOf,
  nextOwner,
  sameId,
  type ConsoleState,
  type Id,
  type Rights,
  type SupportRequest,
} from './api';
import type { RunCommand } from './Console';
import { presenceLabel } from './labels';

const rightsText = (t: Translate, rights: Rights | string) =>
  t(rights === 'full' ? 'console.rights.full' : 'console.rights.view');
const visibilityText = (t: Translate, hidden: boolean) =>
  t(hidden ? 'console.visibility.hidden' : 'console.visibility.seen');

interface CollaboratorsProps {
  request: SupportRequest;
  state: ConsoleState;
}

/** The session's colleagues and open invitations (nothing when there are none). */
export function Collaborators({ request: r, state }: CollaboratorsProps) {
  const { t, lang } = useI18n();
  const me = collaboratorOf(r, state.me.id);
  if (r.collaborators.length === 0 && r.invites.length === 0) return null;
  return (
    <section class="collab" data-testid="collaborators" aria-labelledby="collab-title">
      <h3 id="collab-title">{t('console.collab.title')}</h3>
      {me && (
        <p class="collab-mine small" data-testid="collab-mine" data-hidden={String(me.hidden)} data-rights={me.rights}>
          {t('console.collab.mine', {
            rights: rightsText(t, me.rights),
            visibility: visibilityText(t, me.hidden),
          })}
        </p>
      )}
      {r.collaborators.length > 0 && (
        <ul class="collab-list">
          {r.collaborators.map((c) => (
            <li
              key={String(c.technician_id)}
              class="collab-item"
              data-testid="collaborator"
              data-technician-id={String(c.technician_id)}
              data-hidden={c.hidden ? 'true' : 'false'}
              data-rights={c.rights}
            >
              <span class="collab-name" data-testid="collaborator-name">
                {c.name || String(c.technician_id)}
              </span>
              {sameId(c.technician_id, state.me.id) && <span class="muted"> ({t('console.collab.you')})</span>}
              <span class={c.hidden ? 'pill collab-hidden' : 'pill'} data-testid="collaborator-visibility">
                {visibilityText(t, c.hidden)}
              </span>
              <span class="pill" data-testid="collaborator-rights">
                {rightsText(t, c.rights)}
              </span>
              {typeof c.since === 'number' && c.since > 0 && (
                <span class="muted small" data-testid="collaborator-since">
                  {t('console.collab.since', { time: formatTime(lang, c.since) })}
                </span>
              )}
            </li>
          ))}
        </ul>
      )}
      {r.invites.length > 0 && (
        <>
          <h4 class="collab-subtitle">{t('console.collab.pending')}</h4>
          <ul class="collab-list">
            {r.invites.map((i) => (
              <li
                key={String(i.invite_id)}
                class="collab-item collab-invite"
                data-testid="pending-invite"
                data-invite-id={String(i.invite_id)}
                data-anyone={i.anyone ? 'true' : 'false'}
                data-hidden={i.hidden ? 'true' : 'false'}
                data-rights={i.rights}
              >
                <span class="collab-name" data-testid="pending-invite-to">
                  {i.anyone ? t('console.collab.anyone') : i.to_name || String(i.to)}
                </span>
                <span class={i.hidden ? 'pill collab-hidden' : 'pill'}>{visibilityText(t, i.hidden)}</span>
                <span class="pill">{rightsText(t, i.rights)}</span>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

interface InviteFormProps {
  request: SupportRequest;
  state: ConsoleState;
  run: RunCommand;
  onCancel: () => void;
  onDone: () => void;
}

const ANYONE = 'anyone';
const TECHNICIAN = 'technician:';

/** Invites one colleague (by name) or anyone on the portal, hidden or seen, to watch or to help. */
export function InviteForm({ request, state, run, onCancel, onDone }: InviteFormProps) {
  const { t, lang } = useI18n();
  const targetId = useId();
  const hiddenId = useId();
  const [target, setTarget] = useState('');
  const [hidden, setHidden] = useState(false);
  const [rights, setRights] = useState<Rights>('view');
  const [busy, setBusy] = useState(false);
  const [missing, setMissing] = useState(false);
  const [error, setError] = useState<string>();

  const colleagues = state.technicians
    .filter((x) => !sameId(x.id, state.me.id))
    .sort((a, b) => a.name.localeCompare(b.name, lang));
  const note = (id: Id) => {
    if (request.collaborators.some((c) => sameId(c.technician_id, id)))
      return ` — ${t('console.inviteForm.inSession')}`;
    if (request.invites.some((i) => !i.anyone && sameId(i.to, id)))
      return ` — ${t('console.inviteForm.invited')}`;
    return '';
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    const technician = target.startsWith(TECHNICIAN)
      ? colleagues.find((x) => String(x.id) === target.slice(TECHNICIAN.length))
      : undefined;
    if (target !== ANYONE && !technician) {
      setMissing(true);
      return;
    }
    setBusy(true);
    setError(undefined);
    const ack = await run(
      {
        type: 'request.invite',
        request_id: request.id,
        ...(technician ? { technician_id: technician.id } : { anyone: true }),
        hidden,
        rights,
      },
      {
        onError: (failure) =>
          setError(socketErrorText(t, failure, ['console.invite.error.', 'console.error.', 'error.'])),
      },
    );
    setBusy(false);
    if (ack) onDone();
  };

  return (
    <form class="transfer-form invite-form" data-testid="invite-form" onSubmit={submit}>
      <div class="field">
        <label for={targetId}>{t('console.inviteForm.to')}</label>
        <select
          id={targetId}
          name="invite_target"
          data-testid="invite-target"
          value={target}
          aria-invalid={missing ? true : undefined}
          onChange={(e) => {
            setTarget(e.currentTarget.value);
            setMissing(false);
            setError(undefined);
          }}
        >
          <option value="">{t('common.choose')}</option>
          <option value={ANYONE}>{t('console.inviteForm.anyone')}</option>
          {colleagues.length > 0 && (
            <optgroup label={t('console.inviteForm.technicians')}>
              {colleagues.map((x) => (
                <option key={String(x.id)} value={`${TECHNICIAN}${String(x.id)}`} data-name={x.name}>
                  {x.name} ({presenceLabel[x.status] ? t(presenceLabel[x.status]) : x.status})
                  {note(x.id)}
                </option>
              ))}
            </optgroup>
          )}
        </select>
        {missing && (
          <p class="field-error" data-testid="field-error" data-field="invite_target">
            {t('console.inviteForm.choose')}
          </p>
        )}
      </div>
      <div class="field">
        <label class="check" for={hiddenId} title={t('console.inviteForm.hiddenHint')}>
          <input
            id={hiddenId}
            type="checkbox"
            name="invite_hidden"
            data-testid="invite-hidden"
            checked={hidden}
            onChange={(e) => setHidden(e.currentTarget.checked)}
          />{' '}
          {t('console.inviteForm.hidden')}
        </label>
        <p class="muted small">{t('console.inviteForm.hiddenHint')}</p>
      </div>
      <fieldset class="field invite-rights">
        <legend>{t('console.inviteForm.rights')}</legend>
        {(['view', 'full'] as const).map((value) => (
          <label key={value} class="check">
            <input
              type="radio"
              name="invite_rights"
              value={value}
              data-testid={`invite-rights-${value}`}
              checked={rights === value}
              onChange={() => setRights(value)}
            />{' '}
            {rightsText(t, value)}
          </label>
        ))}
      </fieldset>
      {error && (
        <p class="field-error" role="alert" data-testid="invite-error">
          {error}
        </p>
      )}
      <div class="transfer-actions">
        <button type="submit" class="btn btn-primary btn-small" data-testid="invite-submit" disabled={busy}>
          {t('console.inviteForm.submit')}
        </button>
        <button type="button" class="btn btn-ghost btn-small" data-testid="invite-cancel" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}

interface LeaveConfirmProps {
  request: SupportRequest;
  run: RunCommand;
  onCancel: () => void;
  /** Left: to whom it went (undefined: back to the queue). */
  onDone: (to: string | undefined) => void;
}

/** The session's technician leaves: who takes over, confirmed first. */
export function LeaveConfirm({ request, run, onCancel, onDone }: LeaveConfirmProps) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const next = nextOwner(request);

  const leave = async () => {
    setBusy(true);
    const ack = await run({ type: 'request.leave', request_id: request.id });
    setBusy(false);
    if (ack) onDone(next ? next.name || String(next.technician_id) : undefined);
  };

  return (
    <div class="transfer-form leave-confirm" role="alertdialog" data-testid="leave-confirm" aria-labelledby="leave-text">
      <p id="leave-text" data-testid="leave-confirm-text" data-next={next ? String(next.technician_id) : ''}>
        {next ? t('console.leave.handOver', { name: next.name }) : t('console.leave.requeue')}
      </p>
      <div class="transfer-actions">
        <button
          type="button"
          class="btn btn-danger-ghost btn-small"
          data-testid="leave-confirm-submit"
          disabled={busy}
          onClick={leave}
        >
          {t('console.leave.confirm')}
        </button>
        <button type="button" class="btn btn-ghost btn-small" data-testid="leave-cancel" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      </div>
    </div>
  );
}
