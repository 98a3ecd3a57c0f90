import { useState } from 'preact/hooks';
import { useI18n } from '../../shared/i18n';
import { createTechnician, listTeams, type Skill } from '../api';
import { SelectField, teamIdFromValue, teamOptions, TextField } from '../components/Fields';
import { cleanSkills, SkillsEditor } from '../components/SkillsEditor';
import { FormError, LoadError, Loading, PageHeader } from '../components/Status';
import { formErrors, noErrors, type FormErrors } from '../errors';
import { useLoad } from '../hooks';
import { useNotify } from '../notify';
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
  const notify = useNotify();
  const { load, reload } = useLoad((signal) => listTeams(signal));
  const [email, setEmail] = useState('');
  const [firstName, setFirstName] = useState('');
  const [lastName, setLastName] = useState('');
  const [screenName, setScreenName] = useState('');
  const [custom, setCustom] = useState('');
  const [team, setTeam] = useState('');
  const [password, setPassword] = useState('');
  const [skills, setSkills] = useState<Skill[]>([]);
  const [errors, setErrors] = useState<FormErrors>(noErrors);
  const [busy, setBusy] = useState(false);

  if (load.state === 'loading') return <Loading />;
  if (load.state === 'error') return <LoadError error={load.error} onRetry={reload} />;
  const teams = load.data;

  const submit = async (e: Event) => {
    e.preventDefault();
    const teamId = teamIdFromValue(teams, team);
    if (teamId === undefined) {
      setErrors({ fields: { team_id: t('error.required') } });
      return;
    }
    setBusy(true);
    setErrors(noErrors);
    try {
      const created = await createTechnician({
        email: email.trim(),
        first_name: firstName.trim(),
        last_name: lastName.trim(),
        screen_name: screenName.trim() || undefined,
        custom: custom.trim() || undefined,
        team_id: teamId,
        password,
        skills: skills.length > 0 ? cleanSkills(skills) : undefined,
      });
      notify(t('people.created', { name: `${created.first_name} ${created.last_name}`.trim() }));
      navigate({ page: 'technician', id: String(created.id) });
    } catch (err) {
      setErrors(formErrors(t, err, TECHNICIAN_FIELDS));
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="technician-new-title">
      <PageHeader id="technician-new-title" title={t('people.add')}>
        <a class="btn" href={href({ page: 'people' })}>
          {t('common.back')}
        </a>
      </PageHeader>
      <div class="card">
        <form class="form" data-testid="technician-form" onSubmit={submit}>
          <FormError message={errors.top} />
          <div class="form-grid">
            <TextField
              name="first_name"
              label={t('field.firstName')}
              value={firstName}
              onValue={setFirstName}
              required
              error={errors.fields.first_name}
            />
            <TextField
              name="last_name"
              label={t('field.lastName')}
              value={lastName}
              onValue={setLastName}
              required
              error={errors.fields.last_name}
            />
            <TextField
              name="email"
              type="email"
              label={t('field.email')}
              value={email}
              onValue={setEmail}
              required
              autoComplete="off"
              error={errors.fields.email}
            />
            <TextField
              name="screen_name"
              label={t('field.screenName')}
              hint={t('field.screenName.hint')}
              value={screenName}
              onValue={setScreenName}
              error={errors.fields.screen_name}
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
            <TextField
              name="password"
              type="password"
              label={t('field.password')}
              value={password}
              onValue={setPassword}
              required
              autoComplete="new-password"
              error={errors.fields.password}
            />
            <TextField
              name="custom"
              label={t('field.custom')}
              hint={t('field.custom.hint')}
              value={custom}
              onValue={setCustom}
              error={errors.fields.custom}
              wide
            />
          </div>
          <SkillsEditor value={skills} onChange={setSkills} error={errors.fields.skills} />
          <div class="form-actions">
            <button type="submit" class="btn btn-primary" data-testid="technician-submit" disabled={busy}>
              {t('people.create')}
            </button>
          </div>
        </form>
      </div>
    </section>
  );
}
