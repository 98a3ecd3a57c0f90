// A first and a last day (YYYY-MM-DD, both included) for a list's filters:
// two date inputs whose ids and test ids start with `prefix` (`<prefix>-from`,
// `<prefix>-to`); the last one is marked invalid when it is before the first.
// `min` (YYYY-MM-DD), when given, is the earliest day the pickers offer.
export interface Days {
  from?: string;
  to?: string;
}

export const daysWrong = (d: Days) => Boolean(d.from && d.to && d.to < d.from);

export function DayRange({
  prefix,
  days,
  labels,
  min,
  onChange,
}: {
  prefix: string;
  days: Days;
  labels: { from: string; to: string };
  min?: string;
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
          min={min}
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
          min={min}
          aria-invalid={daysWrong(days) ? true : undefined}
          onChange={(e) => onChange({ ...days, to: e.currentTarget.value })}
        />
      </div>
    </>
  );
}
