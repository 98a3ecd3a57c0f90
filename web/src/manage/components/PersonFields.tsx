// The inputs about a person shared by the technician and manager forms. They
// go inside the form's `.form-grid`; a form may show them in two runs with its
// own inputs in between, each run listing its fields in the order shown.
import { Fragment } from 'preact';
import { useI18n, type Translate } from '../../shared/i18n';
import { TextField } from './Fields';

/** The server's password rule (actors/identity/credentials.hpp): 8 to 256 characters. */
export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 256;

/** Why the password cannot be sent (in the UI's language), or undefined when it can. */
export function passwordProblem(t: Translate, password: string): string | undefined {
  const n = [...password].length;
  if (n < PASSWORD_MIN) return t('rule.lengthMin', { min: PASSWORD_MIN });
  if (n > PASSWORD_MAX) return t('rule.lengthMax', { max: PASSWORD_MAX });
  return undefined;
}

export interface Person {
  email: string;
  first_name: string;
  last_name: string;
  screen_name: string;
  custom: string;
  password: string;
}

export type PersonField = keyof Person;

export const emptyPerson: Person = {
  email: '',
  first_name: '',
  last_name: '',
  screen_name: '',
  custom: '',
  password: '',
};

interface PersonFieldsProps {
  /** The inputs to show, in this order. */
  fields: readonly PersonField[];
  value: Person;
  /** Takes an update of the person (a `useState` setter fits). */
  onChange: (update: (person: Person) => Person) => void;
  /** Field errors by input name. */
  errors: Readonly<Record<string, string>>;
  /** The password changes an existing account's: optional, "New password" with a hint. */
  passwordChange?: boolean;
  /** The custom input takes the grid's full width. */
  wideCustom?: boolean;
}

export function PersonFields({ fields, value, onChange, errors, passwordChange, wideCustom }: PersonFieldsProps) {
  const { t } = useI18n();
  const set = (name: PersonField) => (v: string) => onChange((person) => ({ ...person, [name]: v }));
  const input = (name: PersonField) => {
    switch (name) {
      case 'first_name':
        return (
          <TextField
            name="first_name"
            label={t('field.firstName')}
            value={value.first_name}
            onValue={set('first_name')}
            required
            error={errors.first_name}
          />
        );
      case 'last_name':
        return (
          <TextField
            name="last_name"
            label={t('field.lastName')}
            value={value.last_name}
            onValue={set('last_name')}
            required
            error={errors.last_name}
          />
        );
      case 'email':
        return (
          <TextField
            name="email"
            type="email"
            label={t('field.email')}
            value={value.email}
            onValue={set('email')}
            required
            autoComplete="off"
            error={errors.email}
          />
        );
      case 'screen_name':
        return (
          <TextField
            name="screen_name"
            label={t('field.screenName')}
            hint={t('field.screenName.hint')}
            value={value.screen_name}
            onValue={set('screen_name')}
            error={errors.screen_name}
          />
        );
      case 'custom':
        return (
          <TextField
            name="custom"
            label={t('field.custom')}
            hint={t('field.custom.hint')}
            value={value.custom}
            onValue={set('custom')}
            error={errors.custom}
            wide={wideCustom}
          />
        );
      case 'password':
        return (
          <TextField
            name="password"
            type="password"
            label={t(passwordChange ? 'field.newPassword' : 'field.password')}
            hint={
              passwordChange
                ? `${t('people.passwordHint')} ${t('field.password.rule', { min: PASSWORD_MIN })}`
                : t('field.password.rule', { min: PASSWORD_MIN })
            }
            value={value.password}
            onValue={set('password')}
            required={!passwordChange}
            autoComplete="new-password"
            error={errors.password}
          />
        );
    }
  };
  return (
    <>
      {fields.map((name) => (
        <Fragment key={name}>{input(name)}</Fragment>
      ))}
    </>
  );
}
