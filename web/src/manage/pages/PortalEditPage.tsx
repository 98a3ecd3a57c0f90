// Create or edit a portal (company managers only): general settings, business
// hours and time zone, texts, the customer's form, feature switches,
// sub-portals with the teams that serve them, and recording with the replay
// passphrase (set on its own, next to the portal's form).
import { useState } from 'preact/hooks';
import { useI18n } from '../../shared/i18n';
import {
  ALERT_TIMEOUT,
  CODE_TTL,
  createPortal,
  deletePortal,
  FEATURE_FLAGS,
  listBusinessHours,
  listPortals,
  listReplayKeys,
  listTeams,
  PORTAL_MODES,
  RECORDING_MAX_MB,
  RECORDING_RETENTION_DAYS,
  sameId,
  TYPES_OF_MODE,
  updatePortal,
  type BusinessHours,
  type Id,
  type Overrides,
  type Portal,
  type PortalInput,
  type PortalMode,
  type PortalType,
  type Team,
} from '../api';
import { useConfirm } from '../components/ConfirmDialog';
import {
  checkFields,
  CustomerFieldsEditor,
  defaultFieldDrafts,
  fieldDrafts,
  fieldNames,
  fieldsInput,
  type FieldDraft,
} from '../components/CustomerFieldsEditor';
import { cleanOverrides, FeatureEditor, overridesPatch } from '../components/FeatureEditor';
import {
  CheckboxField,
  FieldError,
  RequiredNote,
  SelectField,
  TeamChecklist,
  TextAreaField,
  TextField,
  TimeZoneField,
} from '../components/Fields';
import { OpenStateBadge } from '../components/OpenStateBadge';
import { PortalAddresses } from '../components/PortalAddresses';
import { RecordingSettings } from '../components/RecordingSettings';
import { ReplayPassphrase } from '../components/ReplayPassphrase';
import { FormError, LoadError, Loading, PageHeader } from '../components/Status';
import { errorText, formErrors, noErrors, type FormErrors } from '../errors';
import { useLoad } from '../hooks';
import { modeLabel, typeLabel } from '../labels';
import { useNotify } from '../notify';
import { href, navigate } from '../router';

export function PortalEditPage({ id, account }: { id?: string; account: string }) {
  const { t } = useI18n();
  const { load, reload } = useLoad(
    (signal) => Promise.all([listPortals(signal), listTeams(signal), listBusinessHours(signal)]),
    [id],
  );

  if (load.state === 'loading') return <Loading />;
  if (load.state === 'error') return <LoadError error={load.error} onRetry={reload} />;
  const [portals, teams, hoursSets] = load.data;
  const portal = id === undefined ? undefined : portals.find((p) => sameId(p.id, id));

  if (id !== undefined && !portal) {
    return (
      <section>
        <PageHeader title={t('portals.notFound')}>
          <a class="btn" href={href({ page: 'portals' })}>
            {t('common.back')}
          </a>
        </PageHeader>
      </section>
    );
  }
  return <PortalForm portal={portal} teams={teams} hoursSets={hoursSets} account={account} />;
}

interface SubPortalDraft {
  key: number;
  id?: Id;
  name: string;
  team_ids: Id[];
}

let nextKey = 1;

const slugify = (name: string) =>
  name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '');

const browserTimeZone = () => {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
};

const ALWAYS_OPEN = '0';

interface PortalFormProps {
  portal?: Portal;
  teams: Team[];
  hoursSets: BusinessHours[];
  account: string;
}

/** A whole number within the limits, or undefined. */
export function wholeNumber(text: string, limits: { min: number; max: number }): number | undefined {
  const value = Number(text.trim());
  return text.trim() !== '' && Number.isInteger(value) && value >= limits.min && value <= limits.max
    ? value
    : undefined;
}

function PortalForm({ portal, teams, hoursSets, account }: PortalFormProps) {
  const { t } = useI18n();
  const notify = useNotify();
  const { ask, dialog } = useConfirm();
  const [name, setName] = useState(portal?.name ?? '');
  const [slug, setSlug] = useState(portal?.slug ?? '');
  const [slugTouched, setSlugTouched] = useState(portal !== undefined);
  const [mode, setMode] = useState<PortalMode>(portal?.mode ?? 'web');
  const [type, setType] = useState<PortalType>(portal?.type ?? 'smartbox');
  const [skillsRouting, setSkillsRouting] = useState(portal?.skills_routing ?? false);
  // Checked here rather than by the browser (no min/max on the inputs), so the
  // message reads like the server's and sits next to the input.
  const [alertTimeout, setAlertTimeout] = useState(String(portal?.alert_timeout_s ?? ALERT_TIMEOUT.default));
  const [codeTtl, setCodeTtl] = useState(String(portal?.code_ttl_min ?? CODE_TTL.default));
  const [timeZone, setTimeZone] = useState(portal?.time_zone ?? browserTimeZone());
  const [hoursId, setHoursId] = useState(() => {
    const current = portal?.hours_id;
    return current !== undefined && current !== null && hoursSets.some((h) => sameId(h.id, current))
      ? String(current)
      : ALWAYS_OPEN;
  });
  const [fields, setFields] = useState<FieldDraft[]>(() =>
    // A portal stored before it had a customer form asks what new ones ask.
    portal?.fields ? fieldDrafts(portal.fields) : defaultFieldDrafts(t),
  );
  const [notificationEmail, setNotificationEmail] = useState(portal?.notification_email ?? '');
  const [title, setTitle] = useState(portal?.texts?.title ?? '');
  const [welcome, setWelcome] = useState(portal?.texts?.welcome ?? '');
  const [features, setFeatures] = useState<Overrides>(cleanOverrides(portal?.features));
  const [recordingMaxMb, setRecordingMaxMb] = useState(
    String(portal?.recording_max_mb ?? RECORDING_MAX_MB.default),
  );
  const [retentionDays, setRetentionDays] = useState(
    String(portal?.recording_retention_days ?? RECORDING_RETENTION_DAYS.default),
  );
  const replayKeys = useLoad(
    (signal) => (portal ? listReplayKeys(portal.id, signal) : Promise.resolve([])),
    [portal?.id],
  );
  const [subPortals, setSubPortals] = useState<SubPortalDraft[]>(() =>
    (portal?.sub_portals ?? []).map((s) => ({ key: nextKey++, id: s.id, name: s.name, team_ids: s.team_ids ?? [] })),
  );
  const [errors, setErrors] = useState<FormErrors>(noErrors);
  const [busy, setBusy] = useState(false);

  const known = [
    'name',
    'slug',
    'mode',
    'type',
    'skills_routing',
    'alert_timeout_s',
    'code_ttl_min',
    'recording_max_mb',
    'recording_retention_days',
    'time_zone',
    'hours_id',
    'notification_email',
    'texts.title',
    'texts.welcome',
    'features',
    ...FEATURE_FLAGS.map((f) => `features.${f}`),
    'features.max_sessions',
    'sub_portals',
    ...subPortals.flatMap((_, i) => [`sub_portals[${i}]`, `sub_portals[${i}].name`, `sub_portals[${i}].team_ids`]),
    ...fieldNames(fields),
  ];

  const updateSub = (key: number, change: Partial<SubPortalDraft>) =>
    setSubPortals((list) => list.map((s) => (s.key === key ? { ...s, ...change } : s)));

  const submit = async (e: Event) => {
    e.preventDefault();
    const fieldProblems = checkFields(t, fields);
    if (Object.keys(fieldProblems).length > 0) {
      setErrors({ top: t('portals.fixFields'), fields: fieldProblems });
      return;
    }
    const alertTimeoutS = wholeNumber(alertTimeout, ALERT_TIMEOUT);
    const codeTtlMin = wholeNumber(codeTtl, CODE_TTL);
    const maxMb = wholeNumber(recordingMaxMb, RECORDING_MAX_MB);
    const keepDays = wholeNumber(retentionDays, RECORDING_RETENTION_DAYS);
    if (alertTimeoutS === undefined || codeTtlMin === undefined || maxMb === undefined || keepDays === undefined) {
      const fieldErrors: Record<string, string> = {};
      if (alertTimeoutS === undefined) fieldErrors.alert_timeout_s = t('rule.range', ALERT_TIMEOUT);
      if (codeTtlMin === undefined) fieldErrors.code_ttl_min = t('rule.range', CODE_TTL);
      if (maxMb === undefined) fieldErrors.recording_max_mb = t('rule.range', RECORDING_MAX_MB);
      if (keepDays === undefined) fieldErrors.recording_retention_days = t('rule.range', RECORDING_RETENTION_DAYS);
      setErrors({ fields: fieldErrors });
      return;
    }
    setBusy(true);
    setErrors(noErrors);
    const input: PortalInput = {
      name: name.trim(),
      slug: slug.trim(),
      mode,
      type,
      skills_routing: skillsRouting,
      alert_timeout_s: alertTimeoutS,
      code_ttl_min: codeTtlMin,
      recording_max_mb: maxMb,
      recording_retention_days: keepDays,
      time_zone: timeZone,
      hours_id: hoursSets.find((h) => sameId(h.id, hoursId))?.id ?? 0,
      notification_email: notificationEmail.trim(),
      features: overridesPatch(features),
      texts: { title, welcome },
      sub_portals: subPortals.map((s) => ({
        ...(s.id === undefined ? {} : { id: s.id }),
        name: s.name.trim(),
        team_ids: s.team_ids,
      })),
      fields: fieldsInput(fields),
    };
    try {
      const saved = portal ? await updatePortal(portal.id, input) : await createPortal(input);
      notify(t(portal ? 'portals.saved' : 'portals.created', { name: saved.name }));
      navigate({ page: 'portals' });
    } catch (err) {
      setErrors(formErrors(t, err, known));
      setBusy(false);
    }
  };

  const remove = async () => {
    if (!portal) return;
    const ok = await ask(
      t('portals.delete.title'),
      t('portals.delete.message', { name: portal.name }),
      t('common.delete'),
    );
    if (!ok) return;
    try {
      await deletePortal(portal.id);
      notify(t('portals.deleted', { name: portal.name }));
      navigate({ page: 'portals' });
    } catch (err) {
      setErrors({ top: errorText(t, err), fields: {} });
    }
  };

  const heading = portal ? t('portals.edit', { name: portal.name }) : t('portals.add');

  return (
    <section aria-labelledby="portal-title">
      <PageHeader id="portal-title" title={heading}>
        <a class="btn" href={href({ page: 'portals' })}>
          {t('common.back')}
        </a>
      </PageHeader>
      {dialog}
      {portal && <PortalAddresses portal={portal} account={account} />}
      <form class="form" data-testid="portal-form" onSubmit={submit}>
        <RequiredNote />
        <FormError message={errors.top} />
        <div class="card">
          <h2>{t('portals.general')}</h2>
          <div class="form-grid">
            <TextField
              name="name"
              label={t('field.portalName')}
              value={name}
              onValue={(v) => {
                setName(v);
                if (!slugTouched) setSlug(slugify(v));
              }}
              required
              error={errors.fields.name}
            />
            <TextField
              name="slug"
              label={t('field.slug')}
              hint={t('field.slug.hint')}
              value={slug}
              onValue={(v) => {
                setSlug(v);
                setSlugTouched(true);
              }}
              required
              error={errors.fields.slug}
            />
            <SelectField
              name="mode"
              label={t('field.mode')}
              value={mode}
              onValue={(v) => {
                const next = PORTAL_MODES.find((m) => m === v) ?? 'web';
                setMode(next);
                if (!TYPES_OF_MODE[next].includes(type)) setType(TYPES_OF_MODE[next][0]);
              }}
              options={PORTAL_MODES.map((m) => ({ value: m, label: t(modeLabel[m]) }))}
              error={errors.fields.mode}
            />
            <SelectField
              name="type"
              label={t('field.type')}
              value={type}
              onValue={(v) => setType(TYPES_OF_MODE[mode].find((x) => x === v) ?? TYPES_OF_MODE[mode][0])}
              options={TYPES_OF_MODE[mode].map((x) => ({ value: x, label: t(typeLabel[x]) }))}
              hint={t('field.type.hint')}
              error={errors.fields.type}
            />
            <TextField
              name="notification_email"
              type="email"
              label={t('field.notificationEmail')}
              hint={t('field.notificationEmail.hint')}
              value={notificationEmail}
              onValue={setNotificationEmail}
              error={errors.fields.notification_email}
            />
            <CheckboxField
              name="skills_routing"
              label={t('field.skillsRouting')}
              hint={t('field.skillsRouting.hint')}
              checked={skillsRouting}
              onChecked={setSkillsRouting}
              error={errors.fields.skills_routing}
            />
          </div>
        </div>

        <div class="card" data-testid="portal-intake">
          <h2>{t('portals.intake')}</h2>
          <div class="form-grid">
            <TextField
              name="alert_timeout_s"
              type="number"
              label={t('field.alertTimeout')}
              hint={t('field.alertTimeout.hint', ALERT_TIMEOUT)}
              value={alertTimeout}
              onValue={setAlertTimeout}
              error={errors.fields.alert_timeout_s}
            />
            <TextField
              name="code_ttl_min"
              type="number"
              label={t('field.codeTtl')}
              hint={t('field.codeTtl.hint', CODE_TTL)}
              value={codeTtl}
              onValue={setCodeTtl}
              error={errors.fields.code_ttl_min}
            />
          </div>
        </div>

        <div class="card" data-testid="portal-hours">
          <h2>{t('portals.hours')}</h2>
          <div class="form-grid">
            <SelectField
              name="hours_id"
              label={t('field.businessHours')}
              value={hoursId}
              onValue={setHoursId}
              options={[
                { value: ALWAYS_OPEN, label: t('portals.alwaysOpen') },
                ...[...hoursSets]
                  .sort((a, b) => a.name.localeCompare(b.name))
                  .map((h) => ({ value: String(h.id), label: h.name })),
              ]}
              hint={t('field.businessHours.hint')}
              error={errors.fields.hours_id}
            />
            <TimeZoneField
              name="time_zone"
              label={t('field.timeZone')}
              value={timeZone}
              onValue={setTimeZone}
              hint={t('field.timeZone.hint')}
              required
              error={errors.fields.time_zone}
            />
          </div>
          <p class="portal-hours-links">
            <a href={href({ page: 'hours' })} data-testid="manage-hours-link">
              {t('portals.manageHours')}
            </a>
          </p>
          {portal && (
            <p class="portal-open-state" data-testid="portal-open-state">
              <span class="muted">{t('portals.stateNow')}</span>{' '}
              <OpenStateBadge portalId={portal.id} hoursId={portal.hours_id} timeZone={portal.time_zone} />
            </p>
          )}
        </div>

        <div class="card">
          <h2>{t('portals.texts')}</h2>
          <div class="form-grid">
            <TextField
              name="texts.title"
              label={t('field.title')}
              value={title}
              onValue={setTitle}
              error={errors.fields['texts.title']}
              wide
            />
            <TextAreaField
              name="texts.welcome"
              label={t('field.welcome')}
              value={welcome}
              onValue={setWelcome}
              rows={4}
              error={errors.fields['texts.welcome']}
            />
          </div>
        </div>

        <div class="card">
          <h2>{t('portals.customerFields')}</h2>
          <p class="field-hint">{t('portals.customerFieldsHint')}</p>
          <CustomerFieldsEditor value={fields} onChange={setFields} errors={errors.fields} />
        </div>

        <div class="card">
          <h2>{t('features.title')}</h2>
          <p class="field-hint">{t('features.portalHint')}</p>
          <FeatureEditor
            value={features}
            onChange={setFeatures}
            errors={errors.fields}
            testid="portal-features"
            omit={['recording']}
          />
        </div>

        <div class="card" data-testid="sub-portals">
          <h2>{t('portals.subPortals')}</h2>
          <p class="field-hint">{t('portals.subPortalsHint')}</p>
          {errors.fields.sub_portals && <FieldError name="sub_portals" message={errors.fields.sub_portals} />}
          {subPortals.length === 0 && <p class="muted">{t('portals.noSubPortals')}</p>}
          <ul class="sub-portals">
            {subPortals.map((s, i) => (
              <li key={s.key} class="sub-portal" data-testid="sub-portal" data-name={s.name}>
                <div class="sub-portal-head">
                  <TextField
                    name={`sub_portals[${i}].name`}
                    label={t('portals.subPortalName', { n: i + 1 })}
                    value={s.name}
                    onValue={(v) => updateSub(s.key, { name: v })}
                    required
                    error={errors.fields[`sub_portals[${i}].name`] ?? errors.fields[`sub_portals[${i}]`]}
                  />
                  <button
                    type="button"
                    class="btn btn-small btn-danger-ghost"
                    data-testid="sub-portal-remove"
                    onClick={() => setSubPortals((list) => list.filter((x) => x.key !== s.key))}
                  >
                    {t('portals.removeSubPortal')}
                  </button>
                </div>
                <TeamChecklist
                  name={`sub_portals[${i}].team_ids`}
                  legend={t('portals.subPortalTeams')}
                  teams={teams}
                  selected={s.team_ids}
                  onChange={(ids) => updateSub(s.key, { team_ids: ids })}
                  error={errors.fields[`sub_portals[${i}].team_ids`]}
                  testid="sub-portal-teams"
                />
              </li>
            ))}
          </ul>
          <button
            type="button"
            class="btn btn-small"
            data-testid="sub-portal-add"
            onClick={() => setSubPortals((list) => [...list, { key: nextKey++, name: '', team_ids: [] }])}
          >
            {t('portals.addSubPortal')}
          </button>
        </div>

        <RecordingSettings
          recording={features.recording === true}
          onRecording={(on) => setFeatures((f) => ({ ...f, recording: on }))}
          maxMb={recordingMaxMb}
          onMaxMb={setRecordingMaxMb}
          retentionDays={retentionDays}
          onRetentionDays={setRetentionDays}
          passphraseSet={replayKeys.load.state === 'ok' ? replayKeys.load.data.length > 0 : undefined}
          isNew={portal === undefined}
          errors={errors.fields}
        />

        <div class="form-actions form-actions-sticky">
          <button type="submit" class="btn btn-primary" data-testid="portal-save" disabled={busy}>
            {portal ? t('common.save') : t('portals.create')}
          </button>
          {portal && (
            <button type="button" class="btn btn-danger-ghost" data-testid="portal-delete" onClick={remove}>
              {t('portals.delete.button')}
            </button>
          )}
        </div>
      </form>
      {portal && <ReplayPassphrase portalId={portal.id} keys={replayKeys.load} onSet={replayKeys.reload} />}
    </section>
  );
}
