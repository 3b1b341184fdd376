import { type FormEvent, useId, useState } from 'react';
import { fromUtcInputValue, toUtcInputValue } from '../lib/format.js';
import { presetIds, presets, type ResolvedRange, validateCustomRange } from '../lib/range.js';
import { aggregations } from '../lib/time.js';
import { serializeViewState, type ViewState } from '../lib/url-state.js';

interface Props {
  view: ViewState;
  range: ResolvedRange;
  onChange: (next: ViewState) => void;
}

/** Aggregation and range pickers. Radio groups, so arrow keys move between the options. */
export function Controls({ view, range, onChange }: Props) {
  // "Custom" picked but not yet applied belongs to the view it was picked in: back, forward or
  // another preset closes it again.
  const viewKey = serializeViewState(view);
  const [customPickedIn, setCustomPickedIn] = useState<string>();
  const customOpen = view.range.kind === 'custom' || customPickedIn === viewKey;
  const rangeChoice = customOpen || view.range.kind === 'custom' ? 'custom' : view.range.preset;

  return (
    <section className="controls" aria-label="View">
      <fieldset className="segmented">
        <legend>Range</legend>
        {presetIds.map((id) => (
          <label key={id}>
            <input
              type="radio"
              name="range"
              value={id}
              checked={rangeChoice === id}
              onChange={() => onChange({ aggregation: presets[id].defaultAggregation, range: { kind: 'preset', preset: id } })}
            />
            <span>{presets[id].shortLabel}</span>
          </label>
        ))}
        <label>
          <input type="radio" name="range" value="custom" checked={rangeChoice === 'custom'} onChange={() => setCustomPickedIn(viewKey)} />
          <span>Custom</span>
        </label>
      </fieldset>

      <fieldset className="segmented aggregation">
        <legend>Aggregation</legend>
        {aggregations.map((aggregation) => (
          <label key={aggregation}>
            <input
              type="radio"
              name="aggregation"
              value={aggregation}
              checked={view.aggregation === aggregation}
              onChange={() => {
                const next = { ...view, aggregation };
                if (customOpen) setCustomPickedIn(serializeViewState(next)); // keep the open form open
                onChange(next);
              }}
            />
            <span>{aggregation}</span>
          </label>
        ))}
      </fieldset>

      {customOpen && (
        <CustomRangeForm
          // Reset the inputs when the view changes, not on every live refresh.
          key={viewKey}
          initial={view.range.kind === 'custom' ? view.range : range}
          onApply={(from, to) => onChange({ ...view, range: { kind: 'custom', from, to } })}
        />
      )}
    </section>
  );
}

function CustomRangeForm({ initial, onApply }: { initial: { from: number; to: number }; onApply: (from: number, to: number) => void }) {
  const id = useId();
  const [from, setFrom] = useState(toUtcInputValue(initial.from));
  const [to, setTo] = useState(toUtcInputValue(initial.to));
  const [problem, setProblem] = useState<string>();

  function apply(event: FormEvent) {
    event.preventDefault();
    const [fromMs, toMs] = [fromUtcInputValue(from), fromUtcInputValue(to)];
    const message = validateCustomRange(fromMs, toMs);
    setProblem(message);
    if (!message) onApply(fromMs, toMs);
  }

  return (
    <form className="custom-range" onSubmit={apply} noValidate>
      <div className="field">
        <label htmlFor={`${id}-from`}>From (UTC)</label>
        <input id={`${id}-from`} type="datetime-local" value={from} onChange={(e) => setFrom(e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor={`${id}-to`}>To (UTC)</label>
        <input id={`${id}-to`} type="datetime-local" value={to} onChange={(e) => setTo(e.target.value)} />
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
