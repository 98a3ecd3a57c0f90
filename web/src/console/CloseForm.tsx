// Closes a request: how it ended (resolved, not resolved, unknown) and notes
// for colleagues and managers (`request.close`, docs/sessions.md).
import { useEffect, useId, useRef, useState } from 'preact/hooks';
import { useI18n } from '../shared/i18n';
import { MAX_CLOSE_NOTES, RESOLUTIONS, resolutionLabel, type Resolution } from '../shared/session_end';
import type { SupportRequest } from './api';
import type { RunCommand } from './Console';

interface CloseFormProps {
  request: SupportRequest;
  run: RunCommand;
  onCancel: () => void;
  onDone: () => void;
}

export function CloseForm({ request, run, onCancel, onDone }: CloseFormProps) {
  const { t } = useI18n();
  const titleId = useId();
  const resolutionId = useId();
  const notesId = useId();
  const notesHintId = useId();
  const [resolution, setResolution] = useState<Resolution>('unknown');
  const [notes, setNotes] = useState('');
  const [busy, setBusy] = useState(false);
  const first = useRef<HTMLSelectElement>(null);

  // The form opens from the Close button: the keyboard goes on into it.
  useEffect(() => {
    first.current?.focus();
  }, []);

  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    const ack = await run({ type: 'request.close', request_id: request.id, resolution, notes: notes.trim() });
    setBusy(false);
    if (ack) onDone();
  };

  const keyDown = (e: KeyboardEvent) => {
    if (e.key === 'Escape' && !busy) {
      e.stopPropagation();
      onCancel();
    }
  };

  return (
    <form
      class="close-form"
      data-testid="close-form"
      aria-labelledby={titleId}
      onSubmit={submit}
      onKeyDown={keyDown}
    >
      <h3 id={titleId} class="close-form-title">
        {t('console.close.title', { id: request.id })}
      </h3>
      <div class="field">
        <label for={resolutionId}>{t('console.close.resolution')}</label>
        <select
          id={resolutionId}
          ref={first}
          name="close_resolution"
          data-testid="close-resolution"
          value={resolution}
          disabled={busy}
          onChange={(e) => setResolution(e.currentTarget.value as Resolution)}
        >
          {RESOLUTIONS.map((r) => (
            <option key={r} value={r}>
              {t(resolutionLabel[r])}
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for={notesId}>{t('console.close.notes')}</label>
        <textarea
          id={notesId}
          name="close_notes"
          data-testid="close-notes"
          rows={4}
          maxLength={MAX_CLOSE_NOTES}
          aria-describedby={notesHintId}
          value={notes}
          disabled={busy}
          onInput={(e) => setNotes(e.currentTarget.value)}
        />
        <p class="field-hint" id={notesHintId}>
          {t('console.close.notesHint')}
        </p>
      </div>
      <div class="transfer-actions">
        <button type="submit" class="btn btn-danger btn-small" data-testid="close-submit" disabled={busy}>
          {busy ? t('console.close.closing') : t('console.close.submit')}
        </button>
        <button
          type="button"
          class="btn btn-ghost btn-small"
          data-testid="close-cancel"
          disabled={busy}
          onClick={onCancel}
        >
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}
