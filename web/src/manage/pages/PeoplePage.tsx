// Technicians: a sortable, filterable table; each name opens the technician.
import { useState } from 'preact/hooks';
import { useI18n } from '../../shared/i18n';
import { directed, SortableHead, useSort, type SortColumn } from '../../shared/SortableHead';
import { listTeams, listTechnicians, type Skill, type User } from '../api';
import { SelectField, teamOptions, TextField } from '../components/Fields';
import { LoadError, Loading, PageHeader } from '../components/Status';
import { useLoad } from '../hooks';
import { href } from '../router';
import { subtreeIds, teamName } from '../teams';

type SortKey = 'name' | 'email' | 'team' | 'skills';

const columns: readonly SortColumn<SortKey>[] = [
  { key: 'name', label: 'people.col.name' },
  { key: 'email', label: 'people.col.email' },
  { key: 'team', label: 'people.col.team' },
  { key: 'skills', label: 'people.col.skills' },
];

export const fullName = (u: Pick<User, 'first_name' | 'last_name'>) => `${u.first_name} ${u.last_name}`.trim();

export const skillsText = (skills: readonly Skill[] | undefined) =>
  [...(skills ?? [])]
    .sort((a, b) => a.rank - b.rank || a.name.localeCompare(b.name))
    .map((s) => `${s.name} (${s.rank})`)
    .join(', ');

const ALL = '';

export function PeoplePage() {
  const { t, lang } = useI18n();
  const { load, reload } = useLoad((signal) => Promise.all([listTechnicians(signal), listTeams(signal)]));
  const [sort, toggleSort] = useSort<SortKey>({ key: 'name', ascending: true });
  const [query, setQuery] = useState('');
  const [team, setTeam] = useState(ALL);

  if (load.state === 'loading') return <Loading />;
  if (load.state === 'error') return <LoadError error={load.error} onRetry={reload} />;
  const [technicians, teams] = load.data;

  const sortValue = (u: User, key: SortKey): string => {
    switch (key) {
      case 'name':
        return `${u.last_name} ${u.first_name}`;
      case 'email':
        return u.email;
      case 'team':
        return teamName(teams, u.team_id) ?? '';
      case 'skills':
        return skillsText(u.skills);
    }
  };

  const needle = query.trim().toLowerCase();
  const inTeams: Set<string> | undefined = team === ALL ? undefined : subtreeIds(teams, team);
  const rows = technicians
    .filter(
      (u) => inTeams === undefined || (u.team_id !== undefined && u.team_id !== null && inTeams.has(String(u.team_id))),
    )
    .filter(
      (u) =>
        needle === '' ||
        [fullName(u), u.email, u.screen_name ?? '', teamName(teams, u.team_id) ?? '', skillsText(u.skills)]
          .join(' ')
          .toLowerCase()
          .includes(needle),
    )
    .sort((a, b) =>
      directed(sort, sortValue(a, sort.key).localeCompare(sortValue(b, sort.key), lang, { sensitivity: 'base' })),
    );

  return (
    <section aria-labelledby="people-title">
      <PageHeader id="people-title" title={t('people.title')}>
        <a class="btn" href={href({ page: 'bulk' })}>
          {t('nav.bulk')}
        </a>
        <a class="btn btn-primary" href={href({ page: 'technician-new' })} data-testid="technician-add">
          {t('people.add')}
        </a>
      </PageHeader>
      <div class="card">
        <div class="toolbar">
          <TextField name="q" label={t('people.search')} value={query} onValue={setQuery} />
          <SelectField
            name="team"
            label={t('people.teamFilter')}
            value={team}
            onValue={setTeam}
            options={[{ value: ALL, label: t('people.allTeams') }, ...teamOptions(teams)]}
          />
          <p class="muted toolbar-count" data-testid="technician-count">
            {t('people.count', { shown: rows.length, total: technicians.length })}
          </p>
        </div>
        {technicians.length === 0 ? (
          <p class="muted">{t('people.none')}</p>
        ) : (
          <div class="table-wrap">
            <table class="table" data-testid="technicians-table">
              <SortableHead columns={columns} sort={sort} onSort={toggleSort} />
              <tbody>
                {rows.map((u) => (
                  <tr key={String(u.id)} data-testid="technician-row" data-email={u.email} data-id={String(u.id)}>
                    <td>
                      <a href={href({ page: 'technician', id: String(u.id) })} data-testid="technician-link">
                        {fullName(u) || u.email}
                      </a>
                      {u.screen_name && <span class="muted small"> · {u.screen_name}</span>}
                    </td>
                    <td>{u.email}</td>
                    <td data-testid="technician-team">{teamName(teams, u.team_id) ?? '—'}</td>
                    <td>{skillsText(u.skills) || <span class="muted">—</span>}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </div>
    </section>
  );
}
