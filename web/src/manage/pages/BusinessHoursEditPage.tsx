// Create or edit a set of business hours (company managers only): a name,
// opening hours per weekday (several intervals a day allowed) and special
// days: holidays closed all day, or days with their own hours. Times are
// "HH:MM" in the time zone of each portal that uses the set.
import { useState } from 'preact/hooks';
import { ApiError } from '../../shared/api';
import { useI18n, type Translate } from '../../shared/i18n';
import {
  createBusinessHours,
  deleteBusinessHours,
  listBusinessHours,
  listPortals,
  sameId,
  updateBusinessHours,
  type BusinessHours,
  type BusinessHoursInput,
  type HoursInterval,
  type Portal,
  type SpecialDay,
  type WeeklyInterval,
  type Weekday,
} from '../api';
import { useConfirm } from '../components/ConfirmDialog';
import { CheckboxField, FieldError, TextField } from '../components/Fields';
import { FormError, LoadError, Loading, PageHeader } from '../components/Status';
import { errorText, fieldErrorText } from '../errors';
import { useLoad } from '../hooks';
import { minutesOf, newInterval, normaliseTime, validDate, weekdayName, WEEK_ORDER, WORKING_DAYS } from '../hours';
import { useNotify } from '../notify';
import { href, navigate } from '../router';
import { portalsUsing } from './BusinessHoursPage';

export function BusinessHoursEditPage({ id }: { id?: string }) {
  const { t } = useI18n();
  const { load, reload } = useLoad((signal) => Promise.all([listBusinessHours(signal), listPortals(signal)]), [id]);

  if (load.state === 'loading') return <Loading />;
  if (load.state === 'error') return <LoadError error={load.error} onRetry={reload} />;
  const [sets, portals] = load.data;
  const hours = id === undefined ? undefined : sets.find((h) => sameId(h.id, id));

  if (id !== undefined && !hours) {
    return (
      <section>
        <PageHeader title={t('hours.notFound')}>
          <a class="btn" href={href({ page: 'hours' })}>
            {t('common.back')}
          </a>
        </PageHeader>
      </section>
    );
  }
  return <HoursForm hours={hours} portals={portals} />;
}

interface IntervalDraft {
  key: number;
  open: string;
  close: string;
}

interface SpecialDraft {
  key: number;
  date: string;
  name: string;
  closed: boolean;
  hours: IntervalDraft[];
}

/** Drafts by weekday, index 0 = Sunday as in the API. */
type WeekDraft = IntervalDraft[][];

let nextKey = 1;

const intervalDraft = (i: HoursInterval): IntervalDraft => ({ key: nextKey++, open: i.open, close: i.close });

function weekDraft(weekly: readonly WeeklyInterval[]): WeekDraft {
  const week: WeekDraft = [[], [], [], [], [], [], []];
  for (const w of weekly) if (w.day >= 0 && w.day <= 6) week[w.day].push(intervalDraft(w));
  for (const day of week) day.sort((a, b) => (minutesOf(a.open) ?? 0) - (minutesOf(b.open) ?? 0));
  return week;
}

const specialDraft = (d: SpecialDay): SpecialDraft => ({
  key: nextKey++,
  date: d.date,
  name: d.name,
  closed: d.closed,
  hours: (d.hours ?? []).map(intervalDraft),
});

/**
 * Error slots: `name`, `weekly`, `special_days`; `w<key>.open`, `w<key>.close`,
 * `w<key>` for an interval; `s<key>.date`, `s<key>.name`, `s<key>.hours`,
 * `s<key>` for a special day (its intervals use the `w` slots too).
 */
type Errors = Record<string, string>;

/** Interval checks in the UI's language: times, order, overlaps within one day. */
function checkIntervals(t: Translate, rows: readonly IntervalDraft[], errors: Errors) {
  const ok: { key: number; open: number; close: number }[] = [];
  for (const row of rows) {
    const open = minutesOf(row.open);
    const close = minutesOf(row.close);
    if (open === undefined || open >= 1440) errors[`w${row.key}.open`] = t('hours.error.openTime');
    else if (close === undefined || close === 0) errors[`w${row.key}.close`] = t('hours.error.closeTime');
    else if (close <= open) errors[`w${row.key}.close`] = t('hours.error.closeAfterOpen');
    else ok.push({ key: row.key, open, close });
  }
  ok.sort((a, b) => a.open - b.open);
  for (let i = 1; i < ok.length; i++) {
    if (ok[i].open < ok[i - 1].close) errors[`w${ok[i].key}`] = t('hours.error.overlap');
  }
}

function HoursForm({ hours, portals }: { hours?: BusinessHours; portals: Portal[] }) {
  const { t, lang } = useI18n();
  const notify = useNotify();
  const { ask, dialog } = useConfirm();
  const [name, setName] = useState(hours?.name ?? '');
  const [week, setWeek] = useState<WeekDraft>(() => weekDraft(hours?.weekly ?? []));
  const [special, setSpecial] = useState<SpecialDraft[]>(() =>
    [...(hours?.special_days ?? [])].sort((a, b) => a.date.localeCompare(b.date)).map(specialDraft),
  );
  const [errors, setErrors] = useState<Errors>({});
  const [top, setTop] = useState<string>();
  const [busy, setBusy] = useState(false);
  const usedBy = hours ? portalsUsing(portals, hours) : [];

  const setDay = (day: Weekday, rows: IntervalDraft[]) => setWeek((w) => w.map((d, i) => (i === day ? rows : d)));
  const updateSpecial = (key: number, change: Partial<SpecialDraft>) =>
    setSpecial((list) => list.map((s) => (s.key === key ? { ...s, ...change } : s)));

  const copyMonday = () =>
    setWeek((w) =>
      w.map((rows, day) =>
        WORKING_DAYS.includes(day as Weekday) && day !== 1 ? w[1].map((r) => ({ ...r, key: nextKey++ })) : rows,
      ),
    );

  /** The request body, and for each list index the draft it came from (to place the server's errors). */
  const build = (): SentKeys & { input: BusinessHoursInput } => {
    const weeklyKeys: number[] = [];
    const weekly: WeeklyInterval[] = [];
    for (const day of WEEK_ORDER) {
      for (const row of week[day]) {
        weeklyKeys.push(row.key);
        weekly.push({ day, open: normaliseTime(row.open), close: normaliseTime(row.close) });
      }
    }
    const specialKeys = special.map((s) => s.key);
    const specialHourKeys = special.map((s) => (s.closed ? [] : s.hours.map((h) => h.key)));
    const special_days: SpecialDay[] = special.map((s) => ({
      date: s.date,
      name: s.name.trim(),
      closed: s.closed,
      hours: s.closed ? [] : s.hours.map((h) => ({ open: normaliseTime(h.open), close: normaliseTime(h.close) })),
    }));
    const input: BusinessHoursInput = { name: name.trim(), weekly, special_days };
    return { input, weeklyKeys, specialKeys, specialHourKeys };
  };

  const validate = (): Errors => {
    const out: Errors = {};
    if (name.trim() === '') out.name = t('rule.required');
    for (const day of WEEK_ORDER) checkIntervals(t, week[day].map(normalised), out);
    const seen = new Set<string>();
    for (const s of special) {
      if (!validDate(s.date)) out[`s${s.key}.date`] = t('hours.error.date');
      else if (seen.has(s.date)) out[`s${s.key}.date`] = t('hours.error.dateTwice');
      seen.add(s.date);
      if (s.name.trim() === '') out[`s${s.key}.name`] = t('rule.required');
      if (!s.closed) {
        if (s.hours.length === 0) out[`s${s.key}.hours`] = t('hours.error.needHours');
        checkIntervals(t, s.hours.map(normalised), out);
      }
    }
    return out;
  };

  /** A server error in its slot; `weekly[3].close` is the interval sent fourth. */
  const placeServerError = (err: unknown, keys: SentKeys) => {
    const slot = err instanceof ApiError && err.field !== undefined ? slotOf(err.field, keys) : undefined;
    if (slot === undefined) setTop(errorText(t, err));
    else setErrors({ [slot]: fieldErrorText(t, err) });
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    setTop(undefined);
    // Show the times as they are sent ("9" becomes "09:00").
    setWeek((w) => w.map((rows) => rows.map(normalised)));
    setSpecial((list) => list.map((s) => ({ ...s, hours: s.hours.map(normalised) })));
    const problems = validate();
    setErrors(problems);
    if (Object.keys(problems).length > 0) {
      setTop(t('hours.error.fix'));
      return;
    }
    setBusy(true);
    const keys = build();
    try {
      const saved = hours ? await updateBusinessHours(hours.id, keys.input) : await createBusinessHours(keys.input);
      notify(t(hours ? 'hours.saved' : 'hours.created', { name: saved.name }));
      navigate({ page: 'hours' });
    } catch (err) {
      placeServerError(err, keys);
      setBusy(false);
    }
  };

  const remove = async () => {
    if (!hours) return;
    const ok = await ask(t('hours.delete.title'), t('hours.delete.message', { name: hours.name }), t('common.delete'));
    if (!ok) return;
    setTop(undefined);
    try {
      await deleteBusinessHours(hours.id);
      notify(t('hours.deleted', { name: hours.name }));
      navigate({ page: 'hours' });
    } catch (err) {
      setTop(errorText(t, err));
    }
  };

  const heading = hours ? t('hours.edit', { name: hours.name }) : t('hours.add');

  return (
    <section aria-labelledby="hours-edit-title">
      <PageHeader id="hours-edit-title" title={heading}>
        <a class="btn" href={href({ page: 'hours' })}>
          {t('common.back')}
        </a>
      </PageHeader>
      {dialog}
      <form class="form" data-testid="hours-form" onSubmit={submit} noValidate>
        <FormError message={top} />
        <div class="card">
          <div class="form-grid">
            <TextField
              name="name"
              label={t('hours.name')}
              value={name}
              onValue={setName}
              required
              error={errors.name}
            />
          </div>
          <p class="field-hint hours-zone-hint">{t('hours.zoneHint')}</p>
          {usedBy.length > 0 && (
            <p class="muted small" data-testid="hours-used-by">
              {t('hours.usedBy', { portals: usedBy.map((p) => p.name).join(', ') })}
            </p>
          )}
        </div>

        <div class="card" data-testid="weekly">
          <h2>{t('hours.weekly')}</h2>
          <p class="field-hint">{t('hours.weeklyHint')}</p>
          {errors.weekly && <FieldError name="weekly" message={errors.weekly} />}
          <div class="week">
            {WEEK_ORDER.map((day) => (
              <div key={day} class="week-day" data-testid="weekly-day" data-day={day}>
                <div class="week-day-name">{weekdayName(lang, day, 'long')}</div>
                <div class="week-day-hours">
                  {week[day].length === 0 && <span class="muted week-closed">{t('hours.closed')}</span>}
                  <IntervalList
                    rows={week[day]}
                    onChange={(rows) => setDay(day, rows)}
                    errors={errors}
                    label={weekdayName(lang, day, 'long')}
                  />
                </div>
              </div>
            ))}
          </div>
          <button type="button" class="btn btn-small" data-testid="copy-monday" onClick={copyMonday}>
            {t('hours.copyMonday', {
              monday: weekdayName(lang, 1, 'long'),
              tuesday: weekdayName(lang, 2, 'long'),
              friday: weekdayName(lang, 5, 'long'),
            })}
          </button>
        </div>

        <div class="card" data-testid="special-days">
          <h2>{t('hours.special')}</h2>
          <p class="field-hint">{t('hours.specialHint')}</p>
          {errors.special_days && <FieldError name="special_days" message={errors.special_days} />}
          {special.length === 0 && <p class="muted">{t('hours.noSpecialDays')}</p>}
          <ul class="special-days">
            {special.map((s, i) => (
              <li key={s.key} class="special-day" data-testid="special-day" data-date={s.date}>
                {errors[`s${s.key}`] && <FieldError name={`special_days[${i}]`} message={errors[`s${s.key}`]} />}
                <div class="special-day-head">
                  <TextField
                    name={`special_days[${i}].date`}
                    type="date"
                    label={t('hours.date')}
                    value={s.date}
                    onValue={(v) => updateSpecial(s.key, { date: v })}
                    required
                    error={errors[`s${s.key}.date`]}
                  />
                  <TextField
                    name={`special_days[${i}].name`}
                    label={t('hours.dayName')}
                    placeholder={t('hours.dayNamePlaceholder')}
                    value={s.name}
                    onValue={(v) => updateSpecial(s.key, { name: v })}
                    required
                    error={errors[`s${s.key}.name`]}
                  />
                  <CheckboxField
                    name={`special_days[${i}].closed`}
                    label={t('hours.closedAllDay')}
                    checked={s.closed}
                    onChecked={(closed) =>
                      updateSpecial(s.key, {
                        closed,
                        hours: !closed && s.hours.length === 0 ? [{ key: nextKey++, ...newInterval([]) }] : s.hours,
                      })
                    }
                  />
                  <button
                    type="button"
                    class="btn btn-small btn-danger-ghost"
                    data-testid="special-day-remove"
                    onClick={() => setSpecial((list) => list.filter((x) => x.key !== s.key))}
                  >
                    {t('hours.removeSpecial')}
                  </button>
                </div>
                {!s.closed && (
                  <div class="special-day-hours">
                    <p class="field-hint">{t('hours.specialHoursHint')}</p>
                    <IntervalList
                      rows={s.hours}
                      onChange={(rows) => updateSpecial(s.key, { hours: rows })}
                      errors={errors}
                      label={s.name.trim() || s.date || t('hours.special')}
                    />
                    {errors[`s${s.key}.hours`] && (
                      <FieldError name={`special_days[${i}].hours`} message={errors[`s${s.key}.hours`]} />
                    )}
                  </div>
                )}
              </li>
            ))}
          </ul>
          <button
            type="button"
            class="btn btn-small"
            data-testid="special-day-add"
            onClick={() =>
              setSpecial((list) => [...list, { key: nextKey++, date: '', name: '', closed: true, hours: [] }])
            }
          >
            {t('hours.addSpecial')}
          </button>
        </div>

        <div class="form-actions form-actions-sticky">
          <button type="submit" class="btn btn-primary" data-testid="hours-save" disabled={busy}>
            {hours ? t('common.save') : t('hours.create')}
          </button>
          {hours && (
            <button type="button" class="btn btn-danger-ghost" data-testid="hours-delete" onClick={remove}>
              {t('hours.delete.button')}
            </button>
          )}
        </div>
      </form>
    </section>
  );
}

interface SentKeys {
  /** The draft of each `weekly[i]`. */
  weeklyKeys: number[];
  /** The draft of each `special_days[i]`. */
  specialKeys: number[];
  /** The draft of each `special_days[i].hours[k]`. */
  specialHourKeys: number[][];
}

const FIELD = /^(weekly|special_days)\[(\d+)\](?:\.(\w+)(?:\[(\d+)\](?:\.(\w+))?)?)?$/;

/** The error slot for a field the server names, or undefined when the form shows no such input. */
function slotOf(field: string, keys: SentKeys): string | undefined {
  if (field === 'name' || field === 'weekly' || field === 'special_days') return field;
  const m = FIELD.exec(field);
  if (!m) return undefined;
  const [, list, i, part, k, sub] = m;
  const timePart = (p: string | undefined) => (p === 'open' || p === 'close' ? `.${p}` : '');
  if (list === 'weekly') {
    const key = keys.weeklyKeys[Number(i)];
    return key === undefined ? 'weekly' : `w${key}${timePart(part)}`;
  }
  const key = keys.specialKeys[Number(i)];
  const hourKey = k === undefined ? undefined : keys.specialHourKeys[Number(i)]?.[Number(k)];
  if (hourKey !== undefined) return `w${hourKey}${timePart(sub)}`;
  if (key === undefined) return 'special_days';
  return part === 'date' || part === 'name' || part === 'hours' ? `s${key}.${part}` : `s${key}`;
}

const normalised = (row: IntervalDraft): IntervalDraft => ({
  ...row,
  open: normaliseTime(row.open),
  close: normaliseTime(row.close),
});

interface IntervalListProps {
  rows: IntervalDraft[];
  onChange: (rows: IntervalDraft[]) => void;
  errors: Errors;
  /** What the intervals belong to ("Monday", "Christmas"), for the inputs' accessible names. */
  label: string;
}

/** Opening intervals ("from 09:00 to 17:00") of one day, with add and remove. */
function IntervalList({ rows, onChange, errors, label }: IntervalListProps) {
  const { t } = useI18n();
  const update = (key: number, change: Partial<IntervalDraft>) =>
    onChange(rows.map((r) => (r.key === key ? { ...r, ...change } : r)));
  return (
    <>
      <ul class="intervals">
        {rows.map((row, i) => {
          const openError = errors[`w${row.key}.open`];
          const closeError = errors[`w${row.key}.close`];
          const message = openError ?? closeError ?? errors[`w${row.key}`];
          const n = rows.length > 1 ? ` (${i + 1})` : '';
          return (
            <li key={row.key} class="interval" data-testid="interval">
              <span class="interval-times">
                <input
                  name="open"
                  data-part="open"
                  value={row.open}
                  maxLength={5}
                  inputMode="numeric"
                  autoComplete="off"
                  aria-label={`${label}${n}: ${t('hours.from')}`}
                  aria-invalid={openError || (message && !closeError) ? true : undefined}
                  onInput={(e) => update(row.key, { open: e.currentTarget.value })}
                  onBlur={(e) => update(row.key, { open: normaliseTime(e.currentTarget.value) })}
                />
                <span aria-hidden="true">–</span>
                <input
                  name="close"
                  data-part="close"
                  value={row.close}
                  maxLength={5}
                  inputMode="numeric"
                  autoComplete="off"
                  aria-label={`${label}${n}: ${t('hours.to')}`}
                  aria-invalid={closeError ? true : undefined}
                  onInput={(e) => update(row.key, { close: e.currentTarget.value })}
                  onBlur={(e) => update(row.key, { close: normaliseTime(e.currentTarget.value) })}
                />
              </span>
              <button
                type="button"
                class="btn btn-small btn-ghost"
                data-testid="interval-remove"
                aria-label={`${t('hours.removeInterval')}: ${label}${n}`}
                onClick={() => onChange(rows.filter((r) => r.key !== row.key))}
              >
                {t('hours.removeInterval')}
              </button>
              {message && <FieldError name="interval" message={message} />}
            </li>
          );
        })}
      </ul>
      <button
        type="button"
        class="btn btn-small"
        data-testid="interval-add"
        onClick={() => onChange([...rows, { key: nextKey++, ...newInterval(rows) }])}
      >
        {t('hours.addInterval')}
      </button>
    </>
  );
}
