// Feature switches of one level (portal, team or technician): each flag is
// inherit / on / off, and max sessions is a number or empty (inherit).
import { useId } from 'preact/hooks';
import { useI18n, type MessageKey } from '../../shared/i18n';
import {
  FEATURE_FLAGS,
  MAX_SESSIONS_MAX,
  MAX_SESSIONS_MIN,
  type FeatureFlag,
  type Overrides,
  type OverridesPatch,
} from '../api';
import { FieldError } from './Fields';

export const featureLabel: Record<FeatureFlag | 'max_sessions', MessageKey> = {
  chat: 'feature.chat',
  file_transfer: 'feature.file_transfer',
  screen_sharing: 'feature.screen_sharing',
  remote_control: 'feature.remote_control',
  recording: 'feature.recording',
  diagnostics: 'feature.diagnostics',
  reports_self: 'feature.reports_self',
  management_center: 'feature.management_center',
  max_sessions: 'feature.max_sessions',
};

type Tri = 'inherit' | 'on' | 'off';

const triOf = (value: boolean | undefined): Tri => (value === undefined ? 'inherit' : value ? 'on' : 'off');

/** Only the keys that are set, so "inherit" is never sent as a value. */
export function cleanOverrides(overrides: Overrides | undefined): Overrides {
  const out: Overrides = {};
  for (const flag of FEATURE_FLAGS) {
    const v = overrides?.[flag];
    if (typeof v === 'boolean') out[flag] = v;
  }
  if (typeof overrides?.max_sessions === 'number') out.max_sessions = overrides.max_sessions;
  return out;
}

/** Every switch, so the server's merge ends with exactly these: inherit is sent as null. */
export function overridesPatch(overrides: Overrides): OverridesPatch {
  const out: OverridesPatch = {};
  for (const flag of FEATURE_FLAGS) out[flag] = overrides[flag] ?? null;
  out.max_sessions = overrides.max_sessions ?? null;
  return out;
}

interface FeatureEditorProps {
  value: Overrides;
  onChange: (value: Overrides) => void;
  /** Error for the whole set (`features`) or one switch (`features.chat`), by key. */
  errors?: Record<string, string>;
  testid?: string;
  /** Switches another part of the page edits (e.g. a portal's recording). */
  omit?: readonly FeatureFlag[];
}

export function FeatureEditor({ value, onChange, errors = {}, testid, omit = [] }: FeatureEditorProps) {
  const { t } = useI18n();
  const baseId = useId();
  const set = (flag: FeatureFlag, tri: Tri) => {
    const next = { ...value };
    if (tri === 'inherit') delete next[flag];
    else next[flag] = tri === 'on';
    onChange(next);
  };
  const setMax = (text: string) => {
    const next = { ...value };
    const n = Number(text);
    if (text.trim() === '' || !Number.isFinite(n)) delete next.max_sessions;
    else next.max_sessions = Math.trunc(n);
    onChange(next);
  };
  const maxId = `${baseId}-max`;
  const maxError = errors['features.max_sessions'];

  return (
    <div class="features" data-testid={testid}>
      {errors['features'] && <FieldError name="features" message={errors['features']} />}
      <div class="feature-grid">
        {FEATURE_FLAGS.filter((flag) => !omit.includes(flag)).map((flag) => {
          const current = triOf(value[flag]);
          const error = errors[`features.${flag}`];
          return (
            <fieldset key={flag} class="feature" data-testid={`feature-${flag}`} data-value={current}>
              <legend>{t(featureLabel[flag])}</legend>
              <div class="tri">
                {(['inherit', 'on', 'off'] as const).map((tri) => {
                  const id = `${baseId}-${flag}-${tri}`;
                  return (
                    <span key={tri} class={`tri-option tri-${tri}`}>
                      <input
                        id={id}
                        type="radio"
                        name={`${baseId}-${flag}`}
                        value={tri}
                        checked={current === tri}
                        onChange={() => set(flag, tri)}
                      />
                      <label for={id}>{t(`feature.${tri}`)}</label>
                    </span>
                  );
                })}
              </div>
              {error && <FieldError name={`features.${flag}`} message={error} />}
            </fieldset>
          );
        })}
        <div class="feature feature-max" data-testid="feature-max_sessions">
          <label for={maxId}>{t('feature.max_sessions')}</label>
          <input
            id={maxId}
            type="number"
            name="max_sessions"
            min={MAX_SESSIONS_MIN}
            max={MAX_SESSIONS_MAX}
            step={1}
            placeholder={t('feature.inherit')}
            value={value.max_sessions === undefined ? '' : String(value.max_sessions)}
            aria-describedby={`${maxId}-hint${maxError ? ` ${maxId}-error` : ''}`}
            aria-invalid={maxError ? true : undefined}
            onInput={(e) => setMax(e.currentTarget.value)}
          />
          <p class="field-hint" id={`${maxId}-hint`}>
            {t('feature.max_sessions.hint', { min: MAX_SESSIONS_MIN, max: MAX_SESSIONS_MAX })}
          </p>
          {maxError && <FieldError id={`${maxId}-error`} name="features.max_sessions" message={maxError} />}
        </div>
      </div>
    </div>
  );
}
