import { type FormEvent, useId, useState } from 'react';
import { type Aggregation, aggregations } from '../../../lambdas/core/domain/buckets.js';
import {
  adjacentPeriod,
  aggregationsFor,
  type Day,
  daysShown,
  isPresetId,
  presetIds,
  presets,
  type ResolvedRange,
  validateCustomRange,
} from '../lib/range.js';
import { zoneNote } from '../lib/site.js';
import { serializeViewState, type ViewState } from '../lib/url-state.js';

interface Props {
  view: ViewState;
  /** The range on screen (whole days of the site's zone) and the aggregation it is shown by. */
  range: ResolvedRange;
  aggregation: Aggregation;
  onChange: (next: ViewState) => void;
}

/** Range picker (a select: eight choices fit a phone that way) and aggregation radio group. */
export function Controls({ view, range, aggregation, onChange }: Props) {
  const id = useId();
  // "Custom" picked but not yet applied belongs to the view it was picked in: back, forward or
  // another preset closes it again.
  const viewKey = serializeViewState(view);
  const [customPickedIn, setCustomPickedIn] = useState<string>();
  const customOpen = view.range.kind === 'custom' || customPickedIn === viewKey;
  const rangeChoice = customOpen
    ? 'custom'
    : view.range.kind === 'custom'
      ? 'custom'
      : view.range.kind === 'preset'
        ? view.range.preset
        : 'realtime';
  const allowed = aggregationsFor(range, Boolean(view.filters));

  return (
    <section className="controls" aria-label="View">
      <div className="field">
        <div className="field-head">
          <label htmlFor={`${id}-range`}>Range</label>
          {/* The site's zone: its days are the ranges' days, and every time shown is its clock. */}
          <span id={`${id}-zone`} className="zone-note" data-testid="zone-note">
            {zoneNote(range.zone)}
          </span>
        </div>
        <select
          id={`${id}-range`}
          aria-describedby={`${id}-zone`}
          value={rangeChoice}
          onChange={(event) => {
            const choice = event.target.value;
            if (isPresetId(choice))
              onChange({
                range: { kind: 'preset', preset: choice },
                ...(view.filters ? { filters: view.filters } : {}),
              });
            // GET /realtime takes no filter: the realtime view is of every visitor.
            else if (choice === 'realtime') onChange({ range: { kind: 'realtime' } });
            else setCustomPickedIn(viewKey);
          }}
        >
          <option value="realtime">Realtime (last 5 minutes)</option>
          {presetIds.map((preset) => (
            <option key={preset} value={preset}>
              {presets[preset].label}
            </option>
          ))}
          <option value="custom">Custom</option>
        </select>
        {view.range.kind !== 'realtime' && (
          <span className="period-arrows">
            {([-1, 1] as const).map((direction) => {
              const next = adjacentPeriod(range, direction);
              return (
                <button
                  key={direction}
                  type="button"
                  className="button-secondary button-small"
                  aria-label={direction < 0 ? 'Previous period' : 'Next period'}
                  title={direction < 0 ? 'Previous period' : 'Next period'}
                  disabled={!next}
                  onClick={() => next && onChange({ ...view, range: next })}
                >
                  {direction < 0 ? '‹' : '›'}
                </button>
              );
            })}
          </span>
        )}
      </div>

      {view.range.kind !== 'realtime' && (
        <fieldset className="segmented aggregation">
          <legend>Aggregation</legend>
          {aggregations.map((a) => (
            <label
              key={a}
              title={
                allowed.includes(a)
                  ? undefined
                  : view.filters && a === 'minute'
                    ? 'A filtered view is counted by hour, day or month'
                    : `Too many ${a}s in this range for one view`
              }
            >
              <input
                type="radio"
                name="aggregation"
                value={a}
                checked={aggregation === a}
                disabled={!allowed.includes(a)}
                onChange={() => {
                  const next = { ...view, aggregation: a };
                  if (customOpen) setCustomPickedIn(serializeViewState(next)); // keep the open form open
                  onChange(next);
                }}
              />
              <span>{a}</span>
            </label>
          ))}
        </fieldset>
      )}

      {customOpen && (
        <CustomRangeForm
          // Reset the inputs when the view changes, not on every live refresh.
          key={viewKey}
          initial={view.range.kind === 'custom' ? view.range : daysShown(range)}
          zone={range.zone}
          onApply={(from, to) => onChange({ ...view, range: { kind: 'custom', from, to } })}
        />
      )}
    </section>
  );
}

function CustomRangeForm({
  initial,
  zone,
  onApply,
}: {
  initial: { from: Day; to: Day };
  zone: string;
  onApply: (from: Day, to: Day) => void;
}) {
  const id = useId();
  const [from, setFrom] = useState(initial.from);
  const [to, setTo] = useState(initial.to);
  const [problem, setProblem] = useState<string>();

  function apply(event: FormEvent) {
    event.preventDefault();
    const message = validateCustomRange(from, to, zone);
    setProblem(message);
    if (!message) onApply(from, to);
  }

  return (
    <form className="custom-range" onSubmit={apply} noValidate>
      <div className="field">
        <label htmlFor={`${id}-from`}>First day</label>
        <input id={`${id}-from`} type="date" value={from} onChange={(e) => setFrom(e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor={`${id}-to`}>Last day</label>
        <input id={`${id}-to`} type="date" value={to} onChange={(e) => setTo(e.target.value)} />
      </div>
      <button type="submit" className="button-primary">
        Apply range
      </button>
      {problem && (
        <p className="field-error" role="alert">
          {problem}
        </p>
      )}
    </form>
  );
}
