// The team tree as the API returns it. Team managers only see part of the
// tree, so a team whose parent is not in the answer is shown as a root.
import { sameId, type Id, type Team } from './api';

export interface TeamNode {
  team: Team;
  depth: number;
  children: TeamNode[];
}

const byName = (a: Team, b: Team) => a.name.localeCompare(b.name, undefined, { sensitivity: 'base' });

/** Root teams have parent_id 0 (or none at all). */
export function hasParent(team: Team): boolean {
  const parent = team.parent_id;
  return parent !== null && parent !== undefined && parent !== '' && String(parent) !== '0';
}

function isRootOf(team: Team, teams: readonly Team[]): boolean {
  return !hasParent(team) || !teams.some((t) => sameId(t.id, team.parent_id));
}

export function buildTree(teams: readonly Team[]): TeamNode[] {
  const seen = new Set<string>();
  const grow = (team: Team, depth: number): TeamNode => {
    seen.add(String(team.id));
    const children = teams
      .filter((t) => sameId(t.parent_id, team.id) && !seen.has(String(t.id)))
      .sort(byName)
      .map((t) => grow(t, depth + 1));
    return { team, depth, children };
  };
  return teams
    .filter((t) => isRootOf(t, teams))
    .sort(byName)
    .map((t) => grow(t, 0));
}

/** Depth-first order, for pickers. */
export function flattenTree(nodes: readonly TeamNode[]): TeamNode[] {
  const out: TeamNode[] = [];
  const walk = (list: readonly TeamNode[]) => {
    for (const node of list) {
      out.push(node);
      walk(node.children);
    }
  };
  walk(nodes);
  return out;
}

export function teamName(teams: readonly Team[], id: Id | null | undefined): string | undefined {
  return teams.find((t) => sameId(t.id, id))?.name;
}

/** The team and all teams below it. */
export function subtreeIds(teams: readonly Team[], id: Id): Set<string> {
  const ids = new Set<string>([String(id)]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const t of teams) {
      if (t.parent_id !== null && t.parent_id !== undefined && ids.has(String(t.parent_id)) && !ids.has(String(t.id))) {
        ids.add(String(t.id));
        grew = true;
      }
    }
  }
  return ids;
}
