// A first and a last day (YYYY-MM-DD, both included) for a list's filters:
// two date inputs whose ids and test ids start with `prefix` (`<prefix>-from`,
// `<prefix>-to`); the last one is marked invalid when it is before the first.
export interface Days {
  from?: string;
  to?: string;
}

export const daysWrong = (d: Days) => Boolean(d.from && d.to && d.to < d.from);

export function DayRange({
  prefix,
  days,
  labels,
  onChange,
}: {
  prefix: string;
  days: Days;
  labels: { from: string; to: string };
  onChange: (days: Days) => void;
}) {
  return (
    <>
      <div class="field">
        <label for={`${prefix}-from`}>{labels.from}</label>
        <input
          id={`${prefix}-from`}
          type="date"
          name="from"
          data-testid={`${prefix}-from`}
          value={days.from ?? ''}
          onChange={(e) => onChange({ ...days, from: e.currentTarget.value })}
        />
      </div>
      <div class="field">
        <label for={`${prefix}-to`}>{labels.to}</label>
        <input
          id={`${prefix}-to`}
          type="date"
          name="to"
          data-testid={`${prefix}-to`}
          value={days.to ?? ''}
          aria-invalid={daysWrong(days) ? true : undefined}
          onChange={(e) => onChange({ ...days, to: e.currentTarget.value })}
        />
      </div>
    </>
  );
}
