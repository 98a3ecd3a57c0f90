// Hands a request over to a colleague or a team, with a note for them.
import { useId, useState } from 'preact/hooks';
import { useI18n } from '../shared/i18n';
import { sameId, type ConsoleState, type SupportRequest } from './api';
import type { RunCommand } from './Console';
import { presenceLabel } from './labels';

interface TransferFormProps {
  request: SupportRequest;
  state: ConsoleState;
  run: RunCommand;
  onCancel: () => void;
  onDone: () => void;
}

/** Select values: `technician:<id>` or `team:<id>`. */
const TECHNICIAN = 'technician:';
const TEAM = 'team:';

export function TransferForm({ request, state, run, onCancel, onDone }: TransferFormProps) {
  const { t, lang } = useI18n();
  const targetId = useId();
  const noteId = useId();
  const [target, setTarget] = useState('');
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [missing, setMissing] = useState(false);

  const byName = <T extends { name: string }>(a: T, b: T) => a.name.localeCompare(b.name, lang);
  const colleagues = state.technicians.filter((x) => !sameId(x.id, state.me.id)).sort(byName);
  const teams = [...state.teams].sort(byName);

  const submit = async (e: Event) => {
    e.preventDefault();
    const technician = target.startsWith(TECHNICIAN)
      ? colleagues.find((x) => String(x.id) === target.slice(TECHNICIAN.length))
      : undefined;
    const team = target.startsWith(TEAM) ? teams.find((x) => String(x.id) === target.slice(TEAM.length)) : undefined;
    if (!technician && !team) {
      setMissing(true);
      return;
    }
    setBusy(true);
    const ack = await run({
      type: 'request.transfer',
      request_id: request.id,
      ...(technician ? { technician_id: technician.id } : { team_id: team!.id }),
      note: note.trim(),
    });
    setBusy(false);
    if (ack) onDone();
  };

  return (
    <form class="transfer-form" data-testid="transfer-form" onSubmit={submit}>
      <div class="field">
        <label for={targetId}>{t('console.transfer.to')}</label>
        <select
          id={targetId}
          name="transfer_target"
          data-testid="transfer-target"
          value={target}
          aria-invalid={missing ? true : undefined}
          onChange={(e) => {
            setTarget(e.currentTarget.value);
            setMissing(false);
          }}
        >
          <option value="">{t('common.choose')}</option>
          {colleagues.length > 0 && (
            <optgroup label={t('console.transfer.technicians')}>
              {colleagues.map((x) => (
                <option key={String(x.id)} value={`${TECHNICIAN}${String(x.id)}`}>
                  {x.name} ({presenceLabel[x.status] ? t(presenceLabel[x.status]) : x.status})
                </option>
              ))}
            </optgroup>
          )}
          {teams.length > 0 && (
            <optgroup label={t('console.transfer.teams')}>
              {teams.map((x) => (
                <option key={String(x.id)} value={`${TEAM}${String(x.id)}`}>
                  {x.name}
                </option>
              ))}
            </optgroup>
          )}
        </select>
        {missing && (
          <p class="field-error" data-testid="field-error" data-field="transfer_target">
            {t('console.transfer.choose')}
          </p>
        )}
      </div>
      <div class="field">
        <label for={noteId}>{t('console.transfer.note')}</label>
        <textarea
          id={noteId}
          name="transfer_note"
          data-testid="transfer-note"
          rows={3}
          maxLength={1000}
          value={note}
          onInput={(e) => setNote(e.currentTarget.value)}
        />
      </div>
      <div class="transfer-actions">
        <button type="submit" class="btn btn-primary btn-small" data-testid="transfer-submit" disabled={busy}>
          {t('console.transfer.submit')}
        </button>
        <button type="button" class="btn btn-ghost btn-small" data-testid="transfer-cancel" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}
