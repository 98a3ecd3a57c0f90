import { useState } from 'preact/hooks';
import { useI18n } from '../../shared/i18n';
import { createTechnician, listTeams, type Skill, type Team } from '../api';
import { RequiredNote, SelectField, teamIdFromValue, teamOptions } from '../components/Fields';
import { emptyPerson, passwordProblem, PersonFields, type Person } from '../components/PersonFields';
import { cleanSkills, SkillsEditor } from '../components/SkillsEditor';
import { FormError, LoadState, PageHeader } from '../components/Status';
import { Invalid, useFormSubmit, useLoad } from '../hooks';
import { href, navigate } from '../router';

export const TECHNICIAN_FIELDS = [
  'email',
  'first_name',
  'last_name',
  'screen_name',
  'custom',
  'team_id',
  'password',
  'skills',
] as const;

export function TechnicianNewPage() {
  const { t } = useI18n();
  const { load, reload } = useLoad((signal) => listTeams(signal));

  if (load.state !== 'ok') return <LoadState load={load} onRetry={reload} />;

  return (
    <section aria-labelledby="technician-new-title">
      <PageHeader id="technician-new-title" title={t('people.add')}>
        <a class="btn" href={href({ page: 'people' })}>
          {t('common.back')}
        </a>
      </PageHeader>
      <div class="card">
        <NewTechnicianForm teams={load.data} />
      </div>
    </section>
  );
}

function NewTechnicianForm({ teams }: { teams: Team[] }) {
  const { t } = useI18n();
  const [person, setPerson] = useState<Person>(emptyPerson);
  const [team, setTeam] = useState('');
  const [skills, setSkills] = useState<Skill[]>([]);
  const { submit, busy, errors } = useFormSubmit({
    fields: TECHNICIAN_FIELDS,
    send: () => {
      const teamId = teamIdFromValue(teams, team);
      const password = passwordProblem(t, person.password);
      if (teamId === undefined || password !== undefined)
        return new Invalid({
          fields: {
            ...(teamId === undefined ? { team_id: t('error.required') } : {}),
            ...(password !== undefined ? { password } : {}),
          },
        });
      return createTechnician({
        email: person.email.trim(),
        first_name: person.first_name.trim(),
        last_name: person.last_name.trim(),
        screen_name: person.screen_name.trim() || undefined,
        custom: person.custom.trim() || undefined,
        team_id: teamId,
        password: person.password,
        skills: skills.length > 0 ? cleanSkills(skills) : undefined,
      });
    },
    notice: (created) => t('people.created', { name: `${created.first_name} ${created.last_name}`.trim() }),
    onDone: (created) => navigate({ page: 'technician', id: String(created.id) }),
    leaves: true,
  });

  return (
    <form class="form" data-testid="technician-form" onSubmit={submit}>
      <RequiredNote />
      <FormError message={errors.top} />
      <div class="form-grid">
        <PersonFields
          fields={['first_name', 'last_name', 'email', 'screen_name']}
          value={person}
          onChange={setPerson}
          errors={errors.fields}
        />
        <SelectField
          name="team_id"
          label={t('field.team')}
          value={team}
          onValue={setTeam}
          required
          options={[{ value: '', label: t('common.choose') }, ...teamOptions(teams)]}
          error={errors.fields.team_id}
        />
        <PersonFields
          fields={['password', 'custom']}
          value={person}
          onChange={setPerson}
          errors={errors.fields}
          wideCustom
        />
      </div>
      <SkillsEditor value={skills} onChange={setSkills} error={errors.fields.skills} />
      <div class="form-actions">
        <button type="submit" class="btn btn-primary" data-testid="technician-submit" disabled={busy}>
          {t('people.create')}
        </button>
      </div>
    </form>
  );
}
