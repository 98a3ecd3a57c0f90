import { useId } from 'preact/hooks';
import { useI18n } from '../../shared/i18n';
import type { Skill } from '../api';
import { FieldError } from './Fields';

interface SkillsEditorProps {
  value: Skill[];
  onChange: (skills: Skill[]) => void;
  error?: string;
}

/** Skills with their rank (1 = strongest). */
export function SkillsEditor({ value, onChange, error }: SkillsEditorProps) {
  const { t } = useI18n();
  const baseId = useId();
  const update = (index: number, skill: Skill) => onChange(value.map((s, i) => (i === index ? skill : s)));
  return (
    <fieldset class="skills" data-testid="skills-editor" data-field="skills">
      <legend>{t('skills.title')}</legend>
      {value.length === 0 && <p class="muted">{t('skills.none')}</p>}
      <ul>
        {value.map((skill, index) => {
          const nameId = `${baseId}-${index}-name`;
          const rankId = `${baseId}-${index}-rank`;
          return (
            <li key={index} class="skill-row" data-testid="skill-row">
              <span class="skill-name">
                <label for={nameId}>{t('skills.name', { n: index + 1 })}</label>
                <input
                  id={nameId}
                  name={`skills[${index}].name`}
                  value={skill.name}
                  required
                  onInput={(e) => update(index, { ...skill, name: e.currentTarget.value })}
                />
              </span>
              <span class="skill-rank">
                <label for={rankId}>{t('skills.rank')}</label>
                <input
                  id={rankId}
                  name={`skills[${index}].rank`}
                  type="number"
                  min={1}
                  step={1}
                  value={String(skill.rank)}
                  required
                  onInput={(e) => update(index, { ...skill, rank: Math.trunc(Number(e.currentTarget.value)) || 1 })}
                />
              </span>
              <button
                type="button"
                class="btn btn-small btn-ghost"
                onClick={() => onChange(value.filter((_, i) => i !== index))}
              >
                {t('skills.remove')}
              </button>
            </li>
          );
        })}
      </ul>
      <p class="field-hint">{t('skills.hint')}</p>
      {error && <FieldError name="skills" message={error} />}
      <button type="button" class="btn btn-small" onClick={() => onChange([...value, { name: '', rank: 1 }])}>
        {t('skills.add')}
      </button>
    </fieldset>
  );
}

/** Skills without blank rows, ready to send. */
export function cleanSkills(skills: readonly Skill[]): Skill[] {
  return skills.map((s) => ({ name: s.name.trim(), rank: s.rank })).filter((s) => s.name !== '');
}
