// The session list's filters (docs/sessions.md, "Session information for
// managers"): a portal, a team, a technician and a range of days. Each
// select lists what this manager may read: the portals only for company
// managers (the others may not list them); the server keeps a team manager's
// list within their teams whatever is chosen. The Reports page uses the same
// selects (ScopeSelects, useScopeChoices).
import { useI18n } from '../../shared/i18n';
import { isTechnician, listPortals, listTeams, listTechnicians, type SessionFilter, type User } from '../api';
import { DayRange, daysWrong } from '../components/DayRange';
import { useLoad } from '../hooks';

interface Choice {
  id: string;
  name: string;
}

/** The portals, teams and technicians a manager may narrow a list (or a report) to, each by name. */
export interface ScopeChoices {
  portals: Choice[];
  teams: Choice[];
  technicians: Choice[];
}

/** A portal, a team and a technician chosen (ids as strings; none: any). */
export type Scope = Pick<SessionFilter, 'portal_id' | 'team_id' | 'technician_id'>;

const byName = (a: Choice, b: Choice) => a.name.localeCompare(b.name);
const orNone = <T,>(p: Promise<T[]>) => p.catch((): T[] => []);

export const filterActive = (f: SessionFilter) =>
  Boolean(f.portal_id || f.team_id || f.technician_id || f.from || f.to);
export const rangeWrong = daysWrong;

/** What this manager may choose from; empty lists until loaded (or when a list may not be read). */
export function useScopeChoices(user: User): ScopeChoices {
  const lists = useLoad(async (signal) => {
    // A technician's own reports: nothing to narrow to, and the lists are managers' (403).
    if (isTechnician(user)) return { portals: [], teams: [], technicians: [] };
    const [portals, teams, technicians] = await Promise.all([
      user.role === 'company_manager' ? orNone(listPortals(signal)) : Promise.resolve([]),
      orNone(listTeams(signal)),
      orNone(listTechnicians(signal)),
    ]);
    return {
      portals: portals.map((p) => ({ id: String(p.id), name: p.name })).sort(byName),
      teams: teams.map((x) => ({ id: String(x.id), name: x.name })).sort(byName),
      technicians: technicians
        .map((u) => ({ id: String(u.id), name: `${u.first_name} ${u.last_name}`.trim() || u.email }))
        .sort(byName),
    };
  });
  return lists.load.state === 'ok' ? lists.load.data : { portals: [], teams: [], technicians: [] };
}

function Select({
  id,
  label,
  any,
  value,
  choices,
  onChange,
}: {
  id: string;
  label: string;
  any: string;
  value: string | undefined;
  choices: Choice[];
  onChange: (value: string) => void;
}) {
  if (choices.length === 0) return null;
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <select id={id} data-testid={id} value={value ?? ''} onChange={(e) => onChange(e.currentTarget.value)}>
        <option value="">{any}</option>
        {choices.map((c) => (
          <option key={c.id} value={c.id}>
            {c.name}
          </option>
        ))}
      </select>
    </div>
  );
}

/**
 * The portal, team and technician selects (each only when it has choices),
 * their ids and test ids `<prefix>-portal`, `<prefix>-team`, `<prefix>-technician`.
 */
export function ScopeSelects({
  prefix,
  choices,
  scope,
  onChange,
}: {
  prefix: string;
  choices: ScopeChoices;
  scope: Scope;
  onChange: (part: Scope) => void;
}) {
  const { t } = useI18n();
  return (
    <>
      <Select
        id={`${prefix}-portal`}
        label={t('sessions.filter.portal')}
        any={t('sessions.filter.anyPortal')}
        value={scope.portal_id}
        choices={choices.portals}
        onChange={(portal_id) => onChange({ portal_id })}
      />
      <Select
        id={`${prefix}-team`}
        label={t('sessions.filter.team')}
        any={t('sessions.filter.anyTeam')}
        value={scope.team_id}
        choices={choices.teams}
        onChange={(team_id) => onChange({ team_id })}
      />
      <Select
        id={`${prefix}-technician`}
        label={t('sessions.filter.technician')}
        any={t('sessions.filter.anyTechnician')}
        value={scope.technician_id}
        choices={choices.technicians}
        onChange={(technician_id) => onChange({ technician_id })}
      />
    </>
  );
}

export function SessionFilters({
  user,
  filter,
  onFilter,
}: {
  user: User;
  filter: SessionFilter;
  onFilter: (f: SessionFilter) => void;
}) {
  const { t } = useI18n();
  const choices = useScopeChoices(user);
  const set = (part: SessionFilter) => onFilter({ ...filter, ...part });
  return (
    <form class="audit-filters" data-testid="sessions-filters" onSubmit={(e) => e.preventDefault()}>
      <ScopeSelects prefix="sessions-filter" choices={choices} scope={filter} onChange={set} />
      <DayRange
        prefix="sessions-filter"
        days={filter}
        labels={{ from: t('sessions.filter.from'), to: t('sessions.filter.to') }}
        onChange={({ from, to }) => set({ from, to })}
      />
      {filterActive(filter) && (
        <button type="button" class="btn" data-testid="sessions-filter-clear" onClick={() => onFilter({})}>
          {t('sessions.filter.clear')}
        </button>
      )}
      {rangeWrong(filter) && (
        <p class="form-error" role="alert" data-testid="sessions-filter-range">
          {t('sessions.filter.rangeWrong')}
        </p>
      )}
    </form>
  );
}
