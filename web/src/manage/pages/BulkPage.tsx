// Bulk add: one technician per line, then what happened to each line.
import { useState } from 'preact/hooks';
import { useI18n } from '../../shared/i18n';
import { bulkAddTechnicians, type BulkAnswer } from '../api';
import { TextAreaField } from '../components/Fields';
import { FormError, PageHeader } from '../components/Status';
import { formErrors, noErrors, reasonText, type FormErrors } from '../errors';
import { useNotify } from '../notify';
import { href } from '../router';

/** The line as entered, with the password field (the sixth) masked. */
function shownLine(line: string): string {
  const fields = line.split(',');
  if (fields.length < 6) return line;
  fields[5] = fields[5].replace(
    /^(\s*)(.+?)(\s*)$/,
    (_, before: string, password: string, after: string) =>
      `${before}${'•'.repeat(Math.min(password.length, 8))}${after}`,
  );
  return fields.join(',');
}

const EXAMPLE = 'Support EU, Tier 2, ada@example.com, Ada, Lovelace, a-long-secret-1, Ada, Berlin office';

interface Outcome {
  answer: BulkAnswer;
  /** The lines as submitted; results refer to them by 1-based number. */
  lines: string[];
}

export function BulkPage() {
  const { t } = useI18n();
  const notify = useNotify();
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<FormErrors>(noErrors);
  const [outcome, setOutcome] = useState<Outcome>();

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setErrors(noErrors);
    try {
      const answer = await bulkAddTechnicians(text);
      setOutcome({ answer, lines: text.split(/\r?\n/) });
      notify(t('bulk.done', { added: answer.added, rejected: answer.rejected }));
    } catch (err) {
      setErrors(formErrors(t, err, ['text']));
    } finally {
      setBusy(false);
    }
  };

  const keepRejected = () => {
    if (!outcome) return;
    const rejected = outcome.answer.results
      .filter((r) => r.status === 'rejected')
      .map((r) => outcome.lines[r.line - 1] ?? '')
      .filter((line) => line.trim() !== '');
    setText(rejected.join('\n'));
    setOutcome(undefined);
  };

  const lineCount = text.split(/\r?\n/).filter((l) => l.trim() !== '').length;

  return (
    <section aria-labelledby="bulk-title">
      <PageHeader id="bulk-title" title={t('bulk.title')}>
        <a class="btn" href={href({ page: 'people' })}>
          {t('nav.people')}
        </a>
      </PageHeader>
      <div class="card">
        <form class="form" data-testid="bulk-form" onSubmit={submit}>
          <p>{t('bulk.intro')}</p>
          <p class="format">
            <code>{t('bulk.format')}</code>
          </p>
          <p class="field-hint">
            {t('bulk.example')} <code>{EXAMPLE}</code>
          </p>
          <FormError message={errors.top} />
          <TextAreaField
            name="text"
            label={t('bulk.lines')}
            hint={t('bulk.hint')}
            value={text}
            onValue={setText}
            rows={10}
            required
            monospace
            testid="bulk-text"
            error={errors.fields.text}
          />
          <div class="form-actions">
            <button type="submit" class="btn btn-primary" data-testid="bulk-submit" disabled={busy || lineCount === 0}>
              {t('bulk.submit', { n: lineCount })}
            </button>
          </div>
        </form>
      </div>

      {outcome && (
        <div class="card" data-testid="bulk-outcome">
          <h2>{t('bulk.results')}</h2>
          <p
            class="bulk-summary"
            data-testid="bulk-summary"
            data-added={outcome.answer.added}
            data-rejected={outcome.answer.rejected}
          >
            <span class="pill pill-on">{t('bulk.addedCount', { n: outcome.answer.added })}</span>
            <span class={outcome.answer.rejected > 0 ? 'pill pill-off' : 'pill'}>
              {t('bulk.rejectedCount', { n: outcome.answer.rejected })}
            </span>
          </p>
          <div class="table-wrap">
            <table class="table" data-testid="bulk-results">
              <thead>
                <tr>
                  <th scope="col">{t('bulk.col.line')}</th>
                  <th scope="col">{t('bulk.col.input')}</th>
                  <th scope="col">{t('bulk.col.result')}</th>
                  <th scope="col">{t('bulk.col.reason')}</th>
                </tr>
              </thead>
              <tbody>
                {outcome.answer.results.map((r) => (
                  <tr key={r.line} data-testid="bulk-result" data-line={r.line} data-status={r.status}>
                    <td class="num">{r.line}</td>
                    <td>
                      <code class="line-text">{shownLine(outcome.lines[r.line - 1] ?? '')}</code>
                    </td>
                    <td>
                      <span class={r.status === 'added' ? 'pill pill-on' : 'pill pill-off'}>
                        {t(r.status === 'added' ? 'bulk.added' : 'bulk.rejected')}
                      </span>
                    </td>
                    <td data-testid="bulk-reason">
                      {r.status === 'added' && r.id !== undefined ? (
                        <a href={href({ page: 'technician', id: String(r.id) })}>{t('bulk.open')}</a>
                      ) : (
                        reasonText(t, r.reason)
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {outcome.answer.rejected > 0 && (
            <div class="form-actions">
              <button type="button" class="btn" data-testid="bulk-keep-rejected" onClick={keepRejected}>
                {t('bulk.keepRejected')}
              </button>
            </div>
          )}
        </div>
      )}
    </section>
  );
}
