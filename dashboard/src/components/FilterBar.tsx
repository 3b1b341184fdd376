import { type FormEvent, type ReactNode, useId, useState } from 'react';
import { filterProperties } from '../../../lambdas/query/answers.js';
import {
  type Filter,
  type FilterOperator,
  type FilterProperty,
  filterScopeNote,
  filterText,
  readFilterText,
  withFilter,
} from '../lib/filter.js';
import { filterLabel, propertyLabels } from '../lib/labels.js';

const operatorChoices: { operator: FilterOperator; label: string; sign: string }[] = [
  { operator: 'is', label: 'is', sign: ':' },
  { operator: 'is_not', label: 'is not', sign: '!:' },
  { operator: 'contains', label: 'contains', sign: '~:' },
];

/**
 * The view's filters as chips (each removable), what they narrow, and a small editor that adds
 * one: a property, is / is not / contains, and values (several separated by |: any of them).
 * `children`: the segment picker, beside the chips.
 */
export function FilterBar({
  filters,
  onChange,
  children,
}: {
  filters: readonly Filter[];
  onChange: (filters: Filter[]) => void;
  children?: ReactNode;
}) {
  const [editing, setEditing] = useState(false);
  return (
    <section className="filter-bar" aria-label="Filters">
      <div className="filter-row">
        {filters.map((filter, index) => {
          const label = filterLabel(filter);
          return (
            <span
              className="chip"
              data-testid="filter-chip"
              data-filter={filterText(filter)}
              key={filterText(filter)}
            >
              {label}
              <button
                type="button"
                className="chip-remove"
                aria-label={`Remove filter: ${label}`}
                title="Remove filter"
                onClick={() => onChange(filters.filter((_, i) => i !== index))}
              >
                ×
              </button>
            </span>
          );
        })}
        {editing ? (
          <FilterEditor
            onAdd={(added) => {
              onChange(withFilter(filters, added));
              setEditing(false);
            }}
            onCancel={() => setEditing(false)}
          />
        ) : (
          <button type="button" className="button-secondary button-small" onClick={() => setEditing(true)}>
            Add filter
          </button>
        )}
        {children}
      </div>
      {filters.length > 0 && (
        <p className="muted small" data-testid="filter-scope">
          {filterScopeNote(filters.length)}
        </p>
      )}
    </section>
  );
}

/** One filter to add: what the API's `filter` parameter takes, checked as the view reads it. */
function FilterEditor({ onAdd, onCancel }: { onAdd: (filter: Filter) => void; onCancel: () => void }) {
  const id = useId();
  const [property, setProperty] = useState<FilterProperty>('source');
  const [operator, setOperator] = useState<FilterOperator>('is');
  const [values, setValues] = useState('');
  const [problem, setProblem] = useState<string>();
  const pageUrls = operator !== 'contains' && property.endsWith('page');

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const sign = operatorChoices.find((c) => c.operator === operator)!.sign;
    const filter = readFilterText(`${property}${sign}${values.trim()}`);
    if (!filter) return setProblem('Enter a value; several values, separated by |, mean any of them.');
    // The API takes whole URLs for a page "is": say so here rather than fail the whole view.
    if (pageUrls && !filter.values.every((v) => /^https?:\/\//.test(v) && URL.canParse(v)))
      return setProblem('Enter whole page URLs (https://...), or choose "contains" for part of one.');
    onAdd(filter);
  };

  return (
    <form className="filter-editor" aria-label="Add a filter" onSubmit={submit}>
      <select
        aria-label="Property"
        value={property}
        onChange={(e) => setProperty(e.target.value as FilterProperty)}
      >
        {filterProperties.map((p) => (
          <option key={p} value={p}>
            {propertyLabels[p]}
          </option>
        ))}
      </select>
      <select
        aria-label="Operator"
        value={operator}
        onChange={(e) => setOperator(e.target.value as FilterOperator)}
      >
        {operatorChoices.map((c) => (
          <option key={c.operator} value={c.operator}>
            {c.label}
          </option>
        ))}
      </select>
      <input
        aria-label="Values"
        aria-describedby={`${id}-hint`}
        value={values}
        placeholder={pageUrls ? 'https://example.com/pricing' : 'Google|Bing'}
        onChange={(e) => {
          setValues(e.target.value);
          setProblem(undefined);
        }}
      />
      <button type="submit" className="button-small">
        Add
      </button>
      <button type="button" className="button-secondary button-small" onClick={onCancel}>
        Cancel
      </button>
      <span id={`${id}-hint`} className="muted small" role={problem ? 'alert' : undefined}>
        {problem ??
          (pageUrls
            ? 'Whole page URLs; several separated by | mean any of them.'
            : 'Several values separated by | mean any of them.')}
      </span>
    </form>
  );
}
