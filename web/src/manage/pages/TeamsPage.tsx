// The team tree: create teams and sub-teams, rename, move, delete, and edit a
// team's feature switches. Team managers get exactly the teams the API lists.
import { useEffect, useRef, useState } from 'preact/hooks';
import { useI18n, type Translate } from '../../shared/i18n';
import {
  createTeam,
  deleteTeam,
  FEATURE_FLAGS,
  listTeams,
  sameId,
  updateTeam,
  type Id,
  type Overrides,
  type OverridesPatch,
  type Team,
  type User,
} from '../api';
import { useConfirm } from '../components/ConfirmDialog';
import { cleanOverrides, FeatureEditor, featureLabel, overridesPatch } from '../components/FeatureEditor';
import { SelectField, teamIdFromValue, teamOptions, TextField } from '../components/Fields';
import { FormError, LoadError, Loading, PageHeader } from '../components/Status';
import { errorText, formErrors, noErrors, type FormErrors } from '../errors';
import { useLoad } from '../hooks';
import { useNotify } from '../notify';
import { href } from '../router';
import { buildTree, hasParent, subtreeIds, type TeamNode } from '../teams';
import './teams.css';

const TOP = '';

export function TeamsPage({ user }: { user: User }) {
  const { t } = useI18n();
  const notify = useNotify();
  const { load, reload } = useLoad((signal) => listTeams(signal));
  const [selected, setSelected] = useState<Id>();
  const [parentForNew, setParentForNew] = useState<string>();
  const [actionError, setActionError] = useState<string>();
  const { ask, dialog } = useConfirm();
  const createRef = useRef<HTMLDivElement>(null);
  const canCreateTop = user.role === 'company_manager';

  if (load.state === 'loading') return <Loading />;
  if (load.state === 'error') return <LoadError error={load.error} onRetry={reload} />;
  const teams = load.data;
  const tree = buildTree(teams);
  const selectedTeam = teams.find((team) => sameId(team.id, selected));

  const addSubTeam = (team: Team) => {
    setParentForNew(String(team.id));
    createRef.current?.scrollIntoView({ block: 'nearest' });
  };

  const remove = async (team: Team) => {
    const root = !hasParent(team);
    const ok = await ask(
      t('teams.delete.title'),
      t(root ? 'teams.delete.messageRoot' : 'teams.delete.message', { name: team.name }),
      t('common.delete'),
    );
    if (!ok) return;
    setActionError(undefined);
    try {
      await deleteTeam(team.id);
      if (sameId(selected, team.id)) setSelected(undefined);
      notify(t('teams.deleted', { name: team.name }));
      reload();
    } catch (err) {
      setActionError(errorText(t, err));
    }
  };

  return (
    <section class="page-teams" aria-labelledby="teams-title">
      <PageHeader id="teams-title" title={t('teams.title')} />
      {dialog}
      <div class="columns">
        <div class="column">
          <div class="card" ref={createRef}>
            <CreateTeamForm
              key={parentForNew ?? 'none'}
              teams={teams}
              canCreateTop={canCreateTop}
              focusOnMount={parentForNew !== undefined}
              initialParent={parentForNew ?? (canCreateTop ? TOP : String(tree[0]?.team.id ?? TOP))}
              onCreated={(team) => {
                notify(t('teams.created', { name: team.name }));
                setSelected(team.id);
                reload();
              }}
            />
          </div>
          <div class="card">
            <h2>{t('teams.tree')}</h2>
            <FormError message={actionError} />
            {tree.length === 0 ? (
              <p class="muted" data-testid="teams-empty">
                {t('teams.none')}
              </p>
            ) : (
              <ul class="team-tree" data-testid="team-tree">
                {tree.map((node) => (
                  <TeamTreeNode
                    key={String(node.team.id)}
                    node={node}
                    selected={selected}
                    onSelect={(team) => setSelected(team.id)}
                    onAddSub={addSubTeam}
                    onDelete={remove}
                    t={t}
                  />
                ))}
              </ul>
            )}
          </div>
        </div>
        <div class="column">
          {selectedTeam ? (
            <div class="card">
              <EditTeamForm
                key={String(selectedTeam.id)}
                team={selectedTeam}
                teams={teams}
                canMoveToTop={canCreateTop}
                onSaved={(team) => {
                  notify(t('teams.saved', { name: team.name }));
                  reload();
                }}
                onDelete={() => remove(selectedTeam)}
              />
            </div>
          ) : (
            <div class="card card-hint">
              <p class="muted">{t('teams.selectHint')}</p>
            </div>
          )}
        </div>
      </div>
    </section>
  );
}

interface TeamTreeNodeProps {
  node: TeamNode;
  selected: Id | undefined;
  onSelect: (team: Team) => void;
  onAddSub: (team: Team) => void;
  onDelete: (team: Team) => void;
  t: Translate;
}

function TeamTreeNode({ node, selected, onSelect, onAddSub, onDelete, t }: TeamTreeNodeProps) {
  const { team, children } = node;
  const isSelected = sameId(team.id, selected);
  const overrides = cleanOverrides(team.features);
  const set = FEATURE_FLAGS.filter((f) => overrides[f] !== undefined);
  return (
    <li data-testid="team-node" data-team-id={String(team.id)} data-team-name={team.name}>
      <div class={isSelected ? 'team-row selected' : 'team-row'}>
        <button
          type="button"
          class="team-name"
          data-testid="team-select"
          aria-pressed={isSelected}
          onClick={() => onSelect(team)}
        >
          {team.name}
        </button>
        {team.technician_count !== undefined && (
          <span class="pill" data-testid="team-count">
            {t('teams.technicianCount', { n: team.technician_count })}
          </span>
        )}
        {team.portals !== undefined && team.portals.length === 0 && (
          <span class="pill pill-warn" data-testid="team-no-portal" title={t('teams.noPortal.hint')}>
            {t('teams.noPortal')}
          </span>
        )}
        {set.map((f) => (
          <span key={f} class={overrides[f] ? 'pill pill-on' : 'pill pill-off'}>
            {t(overrides[f] ? 'teams.flagOn' : 'teams.flagOff', { feature: t(featureLabel[f]) })}
          </span>
        ))}
        {overrides.max_sessions !== undefined && (
          <span class="pill">{t('teams.maxSessions', { n: overrides.max_sessions })}</span>
        )}
        <span class="row-actions">
          <button type="button" class="btn btn-small" data-testid="team-add-sub" onClick={() => onAddSub(team)}>
            {t('teams.addSub')}
          </button>
          <button
            type="button"
            class="btn btn-small btn-danger-ghost"
            data-testid="team-delete"
            onClick={() => onDelete(team)}
          >
            {t('common.delete')}
          </button>
        </span>
      </div>
      {children.length > 0 && (
        <ul>
          {children.map((child) => (
            <TeamTreeNode
              key={String(child.team.id)}
              node={child}
              selected={selected}
              onSelect={onSelect}
              onAddSub={onAddSub}
              onDelete={onDelete}
              t={t}
            />
          ))}
        </ul>
      )}
    </li>
  );
}

interface CreateTeamFormProps {
  teams: Team[];
  canCreateTop: boolean;
  initialParent: string;
  focusOnMount: boolean;
  onCreated: (team: Team) => void;
}

function CreateTeamForm({ teams, canCreateTop, initialParent, focusOnMount, onCreated }: CreateTeamFormProps) {
  const { t } = useI18n();
  const formRef = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (focusOnMount) formRef.current?.querySelector<HTMLInputElement>('input[name=name]')?.focus();
  }, []);
  const [name, setName] = useState('');
  const [parent, setParent] = useState(initialParent);
  const [errors, setErrors] = useState<FormErrors>(noErrors);
  const [busy, setBusy] = useState(false);

  const options = [...(canCreateTop ? [{ value: TOP, label: t('teams.topLevel') }] : []), ...teamOptions(teams)];

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setErrors(noErrors);
    try {
      const team = await createTeam(name.trim(), parent === TOP ? undefined : teamIdFromValue(teams, parent));
      setName('');
      onCreated(team);
    } catch (err) {
      setErrors(formErrors(t, err, ['name', 'parent_id']));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="form" ref={formRef} data-testid="team-create-form" onSubmit={submit}>
      <h2>{parent === TOP ? t('teams.new') : t('teams.newSub')}</h2>
      <FormError message={errors.top} />
      <div class="form-grid">
        <TextField
          name="name"
          label={t('field.teamName')}
          value={name}
          onValue={setName}
          required
          error={errors.fields.name}
        />
        <SelectField
          name="parent_id"
          label={t('field.parentTeam')}
          value={parent}
          onValue={setParent}
          options={options}
          required={!canCreateTop}
          error={errors.fields.parent_id}
        />
      </div>
      <div class="form-actions">
        <button type="submit" class="btn btn-primary" data-testid="team-create-submit" disabled={busy}>
          {t('teams.create')}
        </button>
      </div>
    </form>
  );
}

interface EditTeamFormProps {
  team: Team;
  teams: Team[];
  canMoveToTop: boolean;
  onSaved: (team: Team) => void;
  onDelete: () => void;
}

/** Which portals send the team requests; a clear warning, with the way to fix it, when none does. */
function TeamPortals({ team, company }: { team: Team; company: boolean }) {
  const { t } = useI18n();
  if (team.portals === undefined) return null;
  if (team.portals.length > 0)
    return (
      <p class="field-hint" data-testid="team-portals">
        {t('teams.servesPortals', { portals: team.portals.map((p) => p.name).join(', ') })}
      </p>
    );
  return (
    <div class="warning" role="status" data-testid="team-no-portal-warning">
      <p>{t('teams.noPortal.warning', { name: team.name })}</p>
      <p>
        {company ? (
          <a href={href({ page: 'portals' })} data-testid="team-no-portal-fix">
            {t('teams.noPortal.fix')}
          </a>
        ) : (
          t('teams.noPortal.askCompany')
        )}
      </p>
    </div>
  );
}

function EditTeamForm({ team, teams, canMoveToTop, onSaved, onDelete }: EditTeamFormProps) {
  const { t } = useI18n();
  const parentVisible = teams.some((other) => sameId(other.id, team.parent_id));
  const initialParent = parentVisible ? String(team.parent_id) : TOP;
  const [name, setName] = useState(team.name);
  const [parent, setParent] = useState(initialParent);
  const [features, setFeatures] = useState<Overrides>(cleanOverrides(team.features));
  const [errors, setErrors] = useState<FormErrors>(noErrors);
  const [busy, setBusy] = useState(false);

  // A team cannot move below itself; the server also answers 400 `cycle`.
  const below = subtreeIds(teams, team.id);
  const candidates = teams.filter((other) => !below.has(String(other.id)));
  // Team managers cannot make a team top-level; a team already at the top of
  // what they see keeps its (invisible) parent.
  const options = [
    ...(canMoveToTop || !parentVisible
      ? [{ value: TOP, label: canMoveToTop ? t('teams.topLevel') : t('teams.keepParent') }]
      : []),
    ...teamOptions(candidates),
  ];

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setErrors(noErrors);
    const update: { name: string; parent_id?: Id | null; features: OverridesPatch } = {
      name: name.trim(),
      features: overridesPatch(features),
    };
    if (parent !== initialParent) update.parent_id = parent === TOP ? null : teamIdFromValue(teams, parent);
    try {
      onSaved(await updateTeam(team.id, update));
    } catch (err) {
      setErrors(
        formErrors(t, err, [
          'name',
          'parent_id',
          'features',
          ...FEATURE_FLAGS.map((f) => `features.${f}`),
          'features.max_sessions',
        ]),
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="form" data-testid="team-edit-form" data-team-name={team.name} onSubmit={submit}>
      <h2>{t('teams.edit', { name: team.name })}</h2>
      <TeamPortals team={team} company={canMoveToTop} />
      <FormError message={errors.top} />
      <div class="form-grid">
        <TextField
          name="name"
          label={t('field.teamName')}
          value={name}
          onValue={setName}
          required
          error={errors.fields.name}
        />
        <SelectField
          name="parent_id"
          label={t('field.parentTeam')}
          value={parent}
          onValue={setParent}
          options={options}
          error={errors.fields.parent_id}
        />
      </div>
      <h3>{t('features.title')}</h3>
      <p class="field-hint">{t('features.teamHint')}</p>
      <FeatureEditor value={features} onChange={setFeatures} errors={errors.fields} testid="team-features" />
      <div class="form-actions">
        <button type="submit" class="btn btn-primary" data-testid="team-save" disabled={busy}>
          {t('common.save')}
        </button>
        <button type="button" class="btn btn-danger-ghost" data-testid="team-edit-delete" onClick={onDelete}>
          {t('teams.deleteTeam')}
        </button>
      </div>
    </form>
  );
}
