// The technician activity's timeline: for one technician chosen from a
// select, their status segments as coloured bands along a strip from the
// range's start to its end (or to when the report was made, if earlier), the
// start, middle and end under it, and the same segments as a table for
// assistive technology and exact times. Plain elements, not a canvas: each
// segment is placed with CSS custom properties set through the DOM (no
// style="" markup, so the page's CSP holds).
import { useMemo, useState } from 'preact/hooks';
import { formatDuration, localeFor } from '../../shared/format';
import { useI18n, type Lang } from '../../shared/i18n';
import { formatTime } from '../pages/AuditPage';
import { MAX_SEGMENTS, statusLabel, type ActivityTechnician, type Segment } from './activity';
import { ActivityLegend } from './ActivityLegend';
import type { ActivityReport } from './reportsApi';
import { Section, Table } from './parts';

const HOUR_MS = 3_600_000;

/** A share of the strip as a CSS percentage. */
const pct = (part: number, whole: number) => `${((Math.max(0, part) / whole) * 100).toFixed(4)}%`;

/** The strip's marks: times of day within a day, else the day with the time. */
function markFormat(lang: Lang, span: number, timeZone?: string): Intl.DateTimeFormat {
  const options: Intl.DateTimeFormatOptions =
    span > 20 * HOUR_MS
      ? { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' }
      : { hour: '2-digit', minute: '2-digit', second: span < HOUR_MS ? '2-digit' : undefined };
  try {
    return new Intl.DateTimeFormat(localeFor(lang), { ...options, timeZone });
  } catch {
    return new Intl.DateTimeFormat(localeFor(lang), options);
  }
}

/** The technician shown first: the first with a status other than offline in the timeline, else the first. */
function firstShown(technicians: readonly ActivityTechnician[], timeline: readonly Segment[]): string {
  const active = new Set(timeline.filter((s) => s.status !== 'offline').map((s) => s.technician_id));
  return (technicians.find((r) => active.has(r.technician_id)) ?? technicians[0])?.technician_id ?? '';
}

export function ActivityTimeline({ report, timeZone }: { report: ActivityReport; timeZone?: string }) {
  const { t, lang } = useI18n();
  const { technicians, timeline } = report;
  const [chosen, setChosen] = useState(() => firstShown(technicians, timeline));
  const technician = technicians.find((r) => r.technician_id === chosen) ?? technicians[0];
  const name = technician ? technician.name || '—' : '';
  // The strip: the range up to when the report was made (nothing is counted after that).
  const start = report.from;
  const end = Math.max(start + 1, Math.min(report.to, report.generated_at));
  const span = end - start;
  const segments = useMemo(
    () =>
      timeline
        .filter((s) => s.technician_id === technician?.technician_id && s.to > start && s.from < end)
        .sort((a, b) => a.from - b.from),
    [timeline, technician, start, end],
  );
  const marks = markFormat(lang, span, timeZone);
  const segmentText = (s: Segment) =>
    t('reports.activity.segment', {
      status: t(statusLabel[s.status]),
      from: formatTime(s.from, lang, timeZone),
      to: formatTime(s.to, lang, timeZone),
      duration: formatDuration((s.to - s.from) / 1000),
    });

  return (
    <Section
      id="report-activity-timeline-title"
      title={t('reports.activity.timeline.title')}
      testid="report-activity-timeline"
    >
      {report.timeline_truncated && (
        <p class="report-warning" role="status" data-testid="report-activity-truncated">
          {t('reports.activity.timeline.truncated', { max: MAX_SEGMENTS.toLocaleString(localeFor(lang)) })}
        </p>
      )}
      {!technician ? (
        <p class="muted">{t('reports.activity.none')}</p>
      ) : (
        <>
          <div class="field activity-pick">
            <label for="report-activity-technician">{t('reports.col.technician')}</label>
            <select
              id="report-activity-technician"
              data-testid="report-activity-pick"
              value={technician.technician_id}
              onChange={(e) => setChosen(e.currentTarget.value)}
            >
              {technicians.map((r) => (
                <option key={r.technician_id} value={r.technician_id}>
                  {r.name || '—'}
                </option>
              ))}
            </select>
          </div>
          <div
            class="activity-strip"
            role="img"
            aria-label={t('reports.activity.timeline.strip', { name, n: segments.length })}
            data-testid="report-activity-strip"
            data-technician-id={technician.technician_id}
            data-from={start}
            data-to={end}
          >
            {segments.map((s) => (
              <span
                key={`${s.from}-${s.status}`}
                class="activity-segment"
                data-testid="report-activity-segment"
                data-status={s.status}
                data-from={s.from}
                data-to={s.to}
                title={segmentText(s)}
                style={{
                  '--at': pct(s.from - start, span),
                  '--span': pct(Math.min(s.to, end) - Math.max(s.from, start), span),
                }}
              />
            ))}
          </div>
          <div class="activity-marks muted" aria-hidden="true">
            <span>{marks.format(new Date(start))}</span>
            <span>{marks.format(new Date(start + span / 2))}</span>
            <span>{marks.format(new Date(end))}</span>
          </div>
          <ActivityLegend />
          {segments.length === 0 ? (
            <p class="muted" data-testid="report-activity-segments-empty">
              {t('reports.activity.timeline.none', { name })}
            </p>
          ) : (
            <details class="activity-list">
              <summary>{t('reports.activity.timeline.list', { n: segments.length })}</summary>
              <Table
                caption={t('reports.activity.timeline.caption', { name })}
                testid="report-activity-segments"
                columns={[
                  { label: t('reports.col.status') },
                  { label: t('reports.col.from') },
                  { label: t('reports.col.to') },
                  { label: t('reports.col.duration'), num: true },
                ]}
              >
                {segments.map((s) => (
                  <tr
                    key={`${s.from}-${s.status}`}
                    data-testid="report-activity-segment-row"
                    data-status={s.status}
                    data-from={s.from}
                    data-to={s.to}
                  >
                    <th scope="row">
                      <span class="activity-status" data-status={s.status}>
                        {t(statusLabel[s.status])}
                      </span>
                    </th>
                    <td class="nowrap">{formatTime(s.from, lang, timeZone)}</td>
                    <td class="nowrap">{formatTime(s.to, lang, timeZone)}</td>
                    <td class="num nowrap">{formatDuration((s.to - s.from) / 1000)}</td>
                  </tr>
                ))}
              </Table>
            </details>
          )}
        </>
      )}
    </Section>
  );
}
