// Managers (company managers only): list, add, delete.
import { useState } from 'preact/hooks';
import { useI18n } from '../../shared/i18n';
import {
  createManager,
  deleteManager,
  listManagers,
  listTeams,
  sameId,
  type Id,
  type ManagerInput,
  type Team,
  type User,
} from '../api';
import { roleLabel } from '../labels';
import { useConfirm } from '../components/ConfirmDialog';
import { RequiredNote, SelectField, TeamChecklist } from '../components/Fields';
import { emptyPerson, passwordProblem, PersonFields, type Person } from '../components/PersonFields';
import { FormError, LoadState, PageHeader } from '../components/Status';
import { errorText } from '../errors';
import { Invalid, useFormSubmit, useLoad } from '../hooks';
import { useNotify } from '../notify';
import { teamName } from '../teams';
import { fullName } from './PeoplePage';

type ManagerRole = ManagerInput['role'];
const ROLES: readonly ManagerRole[] = ['team_manager', 'api_manager', 'company_manager'];

export function ManagersPage({ user }: { user: User }) {
  const { t } = useI18n();
  const notify = useNotify();
  const { load, reload } = useLoad((signal) => Promise.all([listManagers(signal), listTeams(signal)]));
  const [actionError, setActionError] = useState<string>();
  const [formKey, setFormKey] = useState(0);
  const { ask, dialog } = useConfirm();

  if (load.state !== 'ok') return <LoadState load={load} onRetry={reload} />;
  const [managers, teams] = load.data;

  const remove = async (manager: User) => {
    const name = fullName(manager) || manager.email;
    const self = sameId(manager.id, user.id);
    const ok = await ask(
      t('managers.delete.title'),
      t(self ? 'managers.delete.self' : 'managers.delete.message', { name }),
      t('common.delete'),
    );
    if (!ok) return;
    setActionError(undefined);
    try {
      await deleteManager(manager.id);
      notify(t('managers.deleted', { name }));
      reload();
    } catch (err) {
      setActionError(errorText(t, err));
    }
  };

  const sorted = [...managers].sort((a, b) => fullName(a).localeCompare(fullName(b)));

  return (
    <section aria-labelledby="managers-title">
      <PageHeader id="managers-title" title={t('managers.title')} />
      {dialog}
      <div class="card">
        <FormError message={actionError} />
        <div class="table-wrap">
          <table class="table" data-testid="managers-table">
            <thead>
              <tr>
                <th scope="col">{t('people.col.name')}</th>
                <th scope="col">{t('people.col.email')}</th>
                <th scope="col">{t('managers.col.role')}</th>
                <th scope="col">{t('managers.col.teams')}</th>
                <th scope="col">
                  <span class="sr-only">{t('common.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {sorted.map((m) => (
                <tr key={String(m.id)} data-testid="manager-row" data-email={m.email} data-role={m.role}>
                  <td>
                    {fullName(m) || m.email}
                    {sameId(m.id, user.id) && <span class="pill pill-accent">{t('managers.you')}</span>}
                  </td>
                  <td>{m.email}</td>
                  <td>{t(roleLabel[m.role])}</td>
                  <td>
                    {m.role === 'team_manager'
                      ? (m.managed_team_ids ?? []).map((id) => teamName(teams, id) ?? String(id)).join(', ') || '—'
                      : m.role === 'company_manager'
                        ? t('managers.allTeams')
                        : '—'}
                  </td>
                  <td class="cell-actions">
                    <button
                      type="button"
                      class="btn btn-small btn-danger-ghost"
                      data-testid="manager-delete"
                      onClick={() => remove(m)}
                    >
                      {t('common.delete')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </div>
      <div class="card">
        <AddManagerForm
          key={formKey}
          teams={teams}
          onCreated={(m) => {
            notify(t('managers.created', { name: fullName(m) || m.email }));
            setFormKey((k) => k + 1);
            reload();
          }}
        />
      </div>
    </section>
  );
}

function AddManagerForm({ teams, onCreated }: { teams: Team[]; onCreated: (manager: User) => void }) {
  const { t } = useI18n();
  const [person, setPerson] = useState<Person>(emptyPerson);
  const [role, setRole] = useState<ManagerRole>('team_manager');
  const [managed, setManaged] = useState<Id[]>([]);
  const { submit, busy, errors } = useFormSubmit({
    fields: ['email', 'first_name', 'last_name', 'role', 'password', 'managed_team_ids'],
    send: () => {
      const password = passwordProblem(t, person.password);
      const noTeams = role === 'team_manager' && managed.length === 0;
      if (noTeams || password !== undefined)
        return new Invalid({
          fields: {
            ...(noTeams ? { managed_team_ids: t('managers.pickTeams') } : {}),
            ...(password !== undefined ? { password } : {}),
          },
        });
      const input: ManagerInput = {
        email: person.email.trim(),
        first_name: person.first_name.trim(),
        last_name: person.last_name.trim(),
        role,
        password: person.password,
      };
      if (role === 'team_manager') input.managed_team_ids = managed;
      return createManager(input);
    },
    onDone: onCreated,
    leaves: true,
  });

  return (
    <form class="form" data-testid="manager-form" onSubmit={submit}>
      <h2>{t('managers.add')}</h2>
      <RequiredNote />
      <FormError message={errors.top} />
      <div class="form-grid">
        <PersonFields
          fields={['first_name', 'last_name', 'email', 'password']}
          value={person}
          onChange={setPerson}
          errors={errors.fields}
        />
        <SelectField
          name="role"
          label={t('managers.col.role')}
          value={role}
          onValue={(v) => setRole(ROLES.find((r) => r === v) ?? 'team_manager')}
          options={ROLES.map((r) => ({ value: r, label: t(roleLabel[r]) }))}
          hint={t(`managers.roleHint.${role}`)}
          error={errors.fields.role}
        />
      </div>
      {role === 'team_manager' && (
        <TeamChecklist
          name="managed_team_ids"
          legend={t('managers.managedTeams')}
          teams={teams}
          selected={managed}
          onChange={setManaged}
          error={errors.fields.managed_team_ids}
          testid="managed-teams"
        />
      )}
      <div class="form-actions">
        <button type="submit" class="btn btn-primary" data-testid="manager-submit" disabled={busy}>
          {t('managers.create')}
        </button>
      </div>
    </form>
  );
}
