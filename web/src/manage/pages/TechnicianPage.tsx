// One technician: profile and skills, team, feature overrides, the effective
// features on a portal with where each value comes from, and delete.
import { useState } from 'preact/hooks';
import { useI18n, type Translate } from '../../shared/i18n';
import {
  deleteTechnician,
  FEATURE_FLAGS,
  listPortals,
  listTeams,
  listTechnicians,
  moveTechnician,
  sameId,
  technicianFeatures,
  updateTechnician,
  type FeatureFlag,
  type Overrides,
  type Portal,
  type Skill,
  type Team,
  type TechnicianUpdate,
  type User,
} from '../api';
import { useConfirm } from '../components/ConfirmDialog';
import { cleanOverrides, FeatureEditor, featureLabel, overridesPatch } from '../components/FeatureEditor';
import { RequiredNote, SelectField, teamIdFromValue, teamOptions } from '../components/Fields';
import { passwordProblem, PersonFields, type Person } from '../components/PersonFields';
import { cleanSkills, SkillsEditor } from '../components/SkillsEditor';
import { FormError, LoadState, PageHeader } from '../components/Status';
import { errorText } from '../errors';
import { Invalid, useFormSubmit, useLoad } from '../hooks';
import { useNotify } from '../notify';
import { href, navigate } from '../router';
import { teamName } from '../teams';
import { fullName } from './PeoplePage';
import { TECHNICIAN_FIELDS } from './TechnicianNewPage';

interface TechnicianPageProps {
  id: string;
  user: User;
}

export function TechnicianPage({ id, user }: TechnicianPageProps) {
  const { t } = useI18n();
  const notify = useNotify();
  const company = user.role === 'company_manager';
  const { load, reload } = useLoad(
    (signal) =>
      Promise.all([
        listTechnicians(signal),
        listTeams(signal),
        company ? listPortals(signal) : Promise.resolve<Portal[]>([]),
      ]),
    [company],
  );
  const [version, setVersion] = useState(0);
  const [deleteError, setDeleteError] = useState<string>();
  const { ask, dialog } = useConfirm();

  if (load.state !== 'ok') return <LoadState load={load} onRetry={reload} />;
  const [technicians, teams, portals] = load.data;
  const technician = technicians.find((u) => sameId(u.id, id));

  if (!technician) {
    return (
      <section>
        <PageHeader title={t('people.notFound')}>
          <a class="btn" href={href({ page: 'people' })}>
            {t('common.back')}
          </a>
        </PageHeader>
        <div class="card">
          <p data-testid="technician-missing">{t('people.notFoundText')}</p>
        </div>
      </section>
    );
  }

  const changed = (message: string) => {
    notify(message);
    setVersion((v) => v + 1);
    reload();
  };
  const name = fullName(technician) || technician.email;

  const remove = async () => {
    const ok = await ask(t('people.delete.title'), t('people.delete.message', { name }), t('common.delete'));
    if (!ok) return;
    setDeleteError(undefined);
    try {
      await deleteTechnician(technician.id);
      notify(t('people.deleted', { name }));
      navigate({ page: 'people' });
    } catch (err) {
      setDeleteError(errorText(t, err));
    }
  };

  return (
    <section
      aria-labelledby="technician-title"
      data-testid="technician-page"
      data-id={String(technician.id)}
      data-email={technician.email}
    >
      <PageHeader id="technician-title" title={name}>
        <a class="btn" href={href({ page: 'people' })}>
          {t('common.back')}
        </a>
      </PageHeader>
      {dialog}
      <div class="columns">
        <div class="column">
          <div class="card">
            <ProfileForm
              key={profileKey(technician)}
              technician={technician}
              onSaved={() => changed(t('people.saved', { name }))}
            />
          </div>
          <div class="card">
            <MoveForm
              key={String(technician.team_id)}
              technician={technician}
              teams={teams}
              onMoved={(team) => changed(t('people.moved', { name, team }))}
            />
          </div>
          <div class="card card-danger">
            <h2>{t('people.delete.title')}</h2>
            <p class="muted">{t('people.delete.hint')}</p>
            <FormError message={deleteError} />
            <div class="form-actions">
              <button type="button" class="btn btn-danger" data-testid="technician-delete" onClick={remove}>
                {t('people.delete.button')}
              </button>
            </div>
          </div>
        </div>
        <div class="column">
          <div class="card">
            <OverridesForm
              key={JSON.stringify(cleanOverrides(technician.features))}
              technician={technician}
              onSaved={() => changed(t('features.saved'))}
            />
          </div>
          <div class="card">
            <EffectiveFeatures technician={technician} portals={portals} company={company} version={version} />
          </div>
        </div>
      </div>
    </section>
  );
}

/** Forms start from the server's data and start over when it changes (after a save and reload). */
const profileKey = (u: User) => JSON.stringify([u.email, u.first_name, u.last_name, u.screen_name, u.custom, u.skills]);

function ProfileForm({ technician, onSaved }: { technician: User; onSaved: () => void }) {
  const { t } = useI18n();
  const [person, setPerson] = useState<Person>({
    email: technician.email,
    first_name: technician.first_name,
    last_name: technician.last_name,
    screen_name: technician.screen_name ?? '',
    custom: technician.custom ?? '',
    password: '',
  });
  const [skills, setSkills] = useState<Skill[]>(technician.skills ?? []);
  const { submit, busy, errors } = useFormSubmit({
    fields: TECHNICIAN_FIELDS,
    send: () => {
      const update: TechnicianUpdate = {
        email: person.email.trim(),
        first_name: person.first_name.trim(),
        last_name: person.last_name.trim(),
        screen_name: person.screen_name.trim(),
        custom: person.custom.trim(),
        skills: cleanSkills(skills),
      };
      if (person.password !== '') {
        const problem = passwordProblem(t, person.password);
        if (problem !== undefined) return new Invalid({ fields: { password: problem } });
        update.password = person.password;
      }
      return updateTechnician(technician.id, update);
    },
    onDone: onSaved,
  });

  return (
    <form class="form" data-testid="technician-edit-form" onSubmit={submit}>
      <h2>{t('people.profile')}</h2>
      <RequiredNote />
      <FormError message={errors.top} />
      <div class="form-grid">
        <PersonFields
          fields={['first_name', 'last_name', 'email', 'screen_name', 'custom', 'password']}
          value={person}
          onChange={setPerson}
          errors={errors.fields}
          passwordChange
        />
      </div>
      <SkillsEditor value={skills} onChange={setSkills} error={errors.fields.skills} />
      <div class="form-actions">
        <button type="submit" class="btn btn-primary" data-testid="technician-save" disabled={busy}>
          {t('common.save')}
        </button>
      </div>
    </form>
  );
}

function MoveForm({
  technician,
  teams,
  onMoved,
}: {
  technician: User;
  teams: Team[];
  onMoved: (team: string) => void;
}) {
  const { t } = useI18n();
  const current = teamName(teams, technician.team_id);
  const [target, setTarget] = useState(
    technician.team_id === undefined || technician.team_id === null ? '' : String(technician.team_id),
  );
  const targetId = teamIdFromValue(teams, target);
  const unchanged = targetId === undefined || sameId(targetId, technician.team_id);
  const { submit, busy, errors } = useFormSubmit({
    fields: ['team_id'],
    send: () => (targetId === undefined ? undefined : moveTechnician(technician.id, targetId)),
    onDone: () => onMoved(teamName(teams, targetId) ?? ''),
  });

  return (
    <form class="form" data-testid="technician-move-form" onSubmit={submit}>
      <h2>{t('people.team')}</h2>
      <p data-testid="technician-current-team">
        {current ? t('people.currentTeam', { team: current }) : t('people.noVisibleTeam')}
      </p>
      <FormError message={errors.top} />
      <div class="form-inline">
        <SelectField
          name="team_id"
          label={t('people.moveTo')}
          value={target}
          onValue={setTarget}
          options={[...(current ? [] : [{ value: '', label: t('common.choose') }]), ...teamOptions(teams)]}
          error={errors.fields.team_id}
        />
        <button type="submit" class="btn" data-testid="technician-move" disabled={busy || unchanged}>
          {t('people.move')}
        </button>
      </div>
    </form>
  );
}

function OverridesForm({ technician, onSaved }: { technician: User; onSaved: () => void }) {
  const { t } = useI18n();
  const [features, setFeatures] = useState<Overrides>(cleanOverrides(technician.features));
  const { submit, busy, errors } = useFormSubmit({
    fields: ['features', ...FEATURE_FLAGS.map((f) => `features.${f}`), 'features.max_sessions'],
    send: () => updateTechnician(technician.id, { features: overridesPatch(features) }),
    onDone: onSaved,
  });

  return (
    <form class="form" data-testid="technician-features-form" onSubmit={submit}>
      <h2>{t('features.overrides')}</h2>
      <p class="field-hint">{t('features.technicianHint')}</p>
      <FormError message={errors.top} />
      <FeatureEditor value={features} onChange={setFeatures} errors={errors.fields} testid="technician-features" />
      <div class="form-actions">
        <button type="submit" class="btn btn-primary" data-testid="technician-features-save" disabled={busy}>
          {t('features.save')}
        </button>
      </div>
    </form>
  );
}

const NO_PORTAL = '';

export function sourceText(t: Translate, source: string | undefined): string {
  if (source === undefined || source === '') return '—';
  if (source === 'default') return t('source.default');
  if (source === 'technician') return t('source.technician');
  if (source === 'portal') return t('source.portal');
  if (source.startsWith('team:')) return t('source.team', { name: source.slice('team:'.length) });
  return source;
}

/** `team:<name>` → `team`, for a stable data attribute. */
const sourceKind = (source: string | undefined) => (source ?? '').split(':')[0];

interface EffectiveFeaturesProps {
  technician: User;
  portals: Portal[];
  company: boolean;
  version: number;
}

function EffectiveFeatures({ technician, portals, company, version }: EffectiveFeaturesProps) {
  const { t } = useI18n();
  const [portal, setPortal] = useState(portals.length > 0 ? String(portals[0].id) : NO_PORTAL);
  const portalId = portals.find((p) => sameId(p.id, portal))?.id;
  const { load, reload } = useLoad(
    (signal) => technicianFeatures(technician.id, portalId, signal),
    [String(technician.id), portal, version],
  );
  const rows: (FeatureFlag | 'max_sessions')[] = [...FEATURE_FLAGS, 'max_sessions'];

  return (
    <div data-testid="effective-features">
      <h2>{t('effective.title')}</h2>
      <p class="field-hint">{t(company ? 'effective.hint' : 'effective.hintNoPortal')}</p>
      {company && (
        <SelectField
          name="portal_id"
          label={t('effective.portal')}
          value={portal}
          onValue={setPortal}
          options={[
            { value: NO_PORTAL, label: t('effective.noPortal') },
            ...portals.map((p) => ({ value: String(p.id), label: p.name })),
          ]}
        />
      )}
      <LoadState load={load} onRetry={reload} />
      {load.state === 'ok' && (
        <div class="table-wrap">
          <table class="table" data-testid="effective-table" data-portal={portal}>
            <thead>
              <tr>
                <th scope="col">{t('effective.feature')}</th>
                <th scope="col">{t('effective.value')}</th>
                <th scope="col">{t('effective.source')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((key) => {
                const value = load.data.values[key];
                const source = load.data.sources[key];
                const shown =
                  typeof value === 'boolean' ? (value ? 'on' : 'off') : value === undefined ? '' : String(value);
                return (
                  <tr key={key} data-testid={`effective-${key}`} data-value={shown} data-source={sourceKind(source)}>
                    <th scope="row">{t(featureLabel[key])}</th>
                    <td>
                      {typeof value === 'boolean' ? (
                        <span class={value ? 'pill pill-on' : 'pill pill-off'}>
                          {t(value ? 'feature.on' : 'feature.off')}
                        </span>
                      ) : (
                        (value ?? '—')
                      )}
                    </td>
                    <td data-testid="effective-source">
                      {key === 'recording' && source === 'portal' && value === true
                        ? t('effective.recordedByPortal')
                        : sourceText(t, source)}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
