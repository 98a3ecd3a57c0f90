// "My reports": the reports this manager saved, oldest first, each with its
// kind, period, narrowing, e-mail delivery and last change, to run (with the
// latest data), edit or delete (after a confirmation).
import { useState } from 'preact/hooks';
import { useI18n } from '../../shared/i18n';
import { useConfirm } from '../components/ConfirmDialog';
import { FormError, LoadState } from '../components/Status';
import { errorText } from '../errors';
import type { Load } from '../hooks';
import { useNotify } from '../notify';
import { formatTime } from '../pages/AuditPage';
import type { ScopeChoices } from '../pages/SessionFilters';
import { deliveryText, kindText, narrowText, periodText } from './labels';
import { orDash } from './parts';
import { deleteSavedReport, type SavedReport } from './savedReportsApi';

interface MyReportsProps {
  load: Load<SavedReport[]>;
  reload: () => void;
  choices: ScopeChoices;
  timeZone?: string;
  /** The report being edited (its row is marked). */
  editing?: SavedReport;
  onRun: (report: SavedReport) => void;
  onEdit: (report: SavedReport) => void;
  onDeleted: (report: SavedReport) => void;
}

export function MyReports({ load, reload, choices, timeZone, editing, onRun, onEdit, onDeleted }: MyReportsProps) {
  const { t, lang } = useI18n();
  const notify = useNotify();
  const { ask, dialog } = useConfirm();
  const [actionError, setActionError] = useState<string>();

  const remove = async (report: SavedReport) => {
    const ok = await ask(
      t('reports.saved.delete.title'),
      t('reports.saved.delete.message', { name: report.name }),
      t('common.delete'),
    );
    if (!ok) return;
    setActionError(undefined);
    try {
      await deleteSavedReport(report.id);
      notify(t('reports.saved.deleted', { name: report.name }));
      onDeleted(report);
    } catch (err) {
      setActionError(errorText(t, err));
    }
    reload();
  };

  return (
    <section class="card report-saved" aria-labelledby="report-saved-title" data-testid="my-reports">
      <h2 id="report-saved-title">{t('reports.saved.title')}</h2>
      {dialog}
      <FormError message={actionError} />
      {load.state !== 'ok' ? (
        <LoadState load={load} onRetry={reload} />
      ) : load.data.length === 0 ? (
        <p class="muted" data-testid="my-reports-empty">
          {t('reports.saved.none')}
        </p>
      ) : (
        <div class="table-wrap">
          <table class="table" data-testid="my-reports-table">
            <caption class="sr-only">{t('reports.saved.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('reports.saved.col.name')}</th>
                <th scope="col">{t('reports.saved.col.kind')}</th>
                <th scope="col">{t('reports.saved.col.period')}</th>
                <th scope="col">{t('reports.saved.col.narrowed')}</th>
                <th scope="col">{t('reports.saved.col.delivery')}</th>
                <th scope="col">{t('reports.saved.col.updated')}</th>
                <th scope="col">
                  <span class="sr-only">{t('common.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {load.data.map((r) => (
                <tr
                  key={r.id}
                  class={editing?.id === r.id ? 'selected' : undefined}
                  data-testid="my-report"
                  data-id={r.id}
                  data-name={r.name}
                  data-kind={r.kind}
                  data-period={r.period}
                  data-target-s={r.target_s}
                  data-schedule={r.schedule}
                >
                  <th scope="row" data-testid="my-report-name">
                    {r.name}
                  </th>
                  <td data-testid="my-report-kind">{kindText(t, r)}</td>
                  <td data-testid="my-report-period">{periodText(t, lang, r)}</td>
                  <td data-testid="my-report-narrowed">{orDash(narrowText(t, r, choices))}</td>
                  <td data-testid="my-report-delivery">{orDash(deliveryText(t, r))}</td>
                  <td class="nowrap" data-testid="my-report-updated">
                    {formatTime(r.updated_at, lang, timeZone)}
                  </td>
                  <td class="cell-actions">
                    <span class="report-saved-actions">
                      <button
                        type="button"
                        class="btn btn-small"
                        data-testid="my-report-run"
                        aria-label={t('reports.saved.runNamed', { name: r.name })}
                        onClick={() => onRun(r)}
                      >
                        {t('reports.saved.run')}
                      </button>
                      <button
                        type="button"
                        class="btn btn-small"
                        data-testid="my-report-edit"
                        aria-label={t('reports.saved.editNamed', { name: r.name })}
                        onClick={() => onEdit(r)}
                      >
                        {t('reports.saved.edit')}
                      </button>
                      <button
                        type="button"
                        class="btn btn-small btn-danger-ghost"
                        data-testid="my-report-delete"
                        aria-label={t('reports.saved.deleteNamed', { name: r.name })}
                        onClick={() => remove(r)}
                      >
                        {t('common.delete')}
                      </button>
                    </span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
