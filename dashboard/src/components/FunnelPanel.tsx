import { useId, useState } from 'react';
import type { PanelReads } from '../hooks/usePanelRead.js';
import { useRead } from '../hooks/useRead.js';
import { asApiError } from '../lib/api.js';
import {
  type FunnelStepView,
  type SavedFunnel,
  deleteFunnel,
  fetchFunnel,
  fetchSavedFunnels,
  funnelStepLimits,
  funnelView,
  saveFunnel,
} from '../lib/funnel.js';
import { PanelProblem } from './PanelProblem.js';
import './FunnelPanel.css';

/**
 * The Funnels panel: the org's saved funnels, the chosen one's steps over the view's range and
 * filter (GET /funnel) with each step's visitors and conversion as bars and the drop-off between
 * steps; the owner (not a shared link) creates and deletes funnels (PUT and DELETE /funnels).
 */
export function FunnelPanel({ reads, owner }: { reads: PanelReads; owner: boolean }) {
  const id = useId();
  const { apiUrl, readKey, onKeyRejected } = reads;
  // Bumped after a save or a delete: the list is read again.
  const [listVersion, setListVersion] = useState(0);
  const list = useRead(
    { apiUrl, readKey, listVersion },
    (asked, signal) => fetchSavedFunnels(asked.apiUrl, asked.readKey, { signal }),
    onKeyRejected,
    { retryFailures: 'reload' },
  );
  const funnels = list.value?.funnels ?? [];
  const [chosenName, setChosenName] = useState<string>();
  const chosen = funnels.find((f) => f.name === chosenName) ?? funnels[0];
  const [editing, setEditing] = useState(false);

  const onSaved = (saved: SavedFunnel) => {
    setChosenName(saved.name);
    setEditing(false);
    setListVersion((v) => v + 1);
  };
  const onDelete = async (name: string) => {
    await deleteFunnel(apiUrl, readKey, name).catch(() => undefined);
    setChosenName(undefined);
    setListVersion((v) => v + 1);
  };

  return (
    <section className="card funnel-panel" aria-labelledby={`${id}-heading`} data-panel="funnels">
      <div className="card-head">
        <h2 id={`${id}-heading`}>Funnels</h2>
        <div className="funnel-actions">
          {funnels.length > 0 && (
            <select
              className="panel-select"
              aria-label="Funnel"
              value={chosen?.name ?? ''}
              onChange={(event) => setChosenName(event.target.value)}
            >
              {funnels.map((f) => (
                <option key={f.name} value={f.name}>
                  {f.name}
                </option>
              ))}
            </select>
          )}
          {owner && !editing && (
            <button type="button" className="button-secondary" onClick={() => setEditing(true)}>
              New funnel
            </button>
          )}
        </div>
      </div>
      {list.error && <PanelProblem error={list.error} onRetry={list.retry} />}
      {editing && (
        <FunnelEditor
          onSave={(funnel) => saveFunnel(apiUrl, readKey, funnel).then(onSaved)}
          onCancel={() => setEditing(false)}
        />
      )}
      {list.value && funnels.length === 0 && !editing && (
        <p className="muted small">
          No funnels yet. A funnel counts the visitors who went through its steps in order within one visit
          {owner ? ': create one with New funnel.' : '; the site owner creates them.'}
        </p>
      )}
      {chosen && <FunnelSteps funnel={chosen} reads={reads} owner={owner} onDelete={onDelete} />}
    </section>
  );
}

function FunnelSteps({
  funnel,
  reads,
  owner,
  onDelete,
}: {
  funnel: SavedFunnel;
  reads: PanelReads;
  owner: boolean;
  onDelete: (name: string) => void;
}) {
  const { apiUrl, readKey, range, filters, version, onKeyRejected } = reads;
  const state = useRead(
    { apiUrl, readKey, steps: funnel.steps, from: range.from, to: range.to, filters, version },
    (asked, signal) => fetchFunnel(asked.apiUrl, asked.readKey, asked, { signal }),
    onKeyRejected,
    { retryFailures: 'reload', resetWhen: (asked) => JSON.stringify(asked.steps) },
  );
  const steps = state.value ? funnelView(state.value) : [];
  return (
    <div className="funnel" data-funnel={funnel.name} aria-busy={state.loading}>
      <p className="muted small">
        Visitors who went through these steps in order within one visit
        {filters?.length ? ', among the filtered visits' : ''}; the bars are the share of the first step's
        visitors.
      </p>
      {state.error && <PanelProblem error={state.error} onRetry={state.retry} />}
      <ol className="funnel-steps">
        {steps.map((step, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: a step is its place in the funnel (the same step may repeat)
          <FunnelStepRow key={i} step={step} />
        ))}
      </ol>
      {owner && (
        <button
          type="button"
          className="button-secondary funnel-delete"
          onClick={() => onDelete(funnel.name)}
        >
          Delete funnel
        </button>
      )}
    </div>
  );
}

function FunnelStepRow({ step }: { step: FunnelStepView }) {
  return (
    <li className="funnel-step" data-step={step.step} data-visitors={step.visitors}>
      {step.dropoffText && (
        <p className="funnel-dropoff small" data-column="dropoff">
          ↓ {step.dropoffText}
        </p>
      )}
      <div className="funnel-row">
        <span className="funnel-label">{step.label}</span>
        <span className="funnel-figures">
          <strong data-column="visitors">{step.visitorsText}</strong> visitors ·{' '}
          <span data-column="conversion_rate">{step.conversionText}</span>
        </span>
      </div>
      <div className="funnel-track">
        <div className="funnel-bar" style={{ width: `${Math.min(100, step.bar).toFixed(2)}%` }} />
      </div>
    </li>
  );
}

type StepKind = 'page' | 'event';

/** A new funnel: a name and 2 to 8 steps, each a page path (or URL) or an event name. The API checks each step. */
function FunnelEditor({
  onSave,
  onCancel,
}: {
  onSave: (funnel: { name: string; steps: string[] }) => Promise<void>;
  onCancel: () => void;
}) {
  const [name, setName] = useState('');
  const [steps, setSteps] = useState<{ kind: StepKind; value: string }[]>([
    { kind: 'page', value: '/' },
    { kind: 'page', value: '' },
  ]);
  const [problem, setProblem] = useState<string>();
  const [saving, setSaving] = useState(false);
  const change = (i: number, patch: Partial<{ kind: StepKind; value: string }>) =>
    setSteps(steps.map((step, j) => (j === i ? { ...step, ...patch } : step)));

  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    setSaving(true);
    setProblem(undefined);
    try {
      await onSave({ name, steps: steps.map((s) => `${s.kind}:${s.value.trim()}`) });
    } catch (error) {
      setProblem(asApiError(error).message);
    } finally {
      setSaving(false);
    }
  };

  return (
    <form className="funnel-editor" aria-label="New funnel" onSubmit={submit}>
      <label className="funnel-name">
        Funnel name
        <input
          type="text"
          value={name}
          onChange={(e) => setName(e.target.value)}
          placeholder="Signup funnel"
          required
        />
      </label>
      <ol className="funnel-editor-steps">
        {steps.map((step, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: a step is its place in the funnel
          <li key={i}>
            <select
              aria-label={`Step ${i + 1} kind`}
              value={step.kind}
              onChange={(e) => change(i, { kind: e.target.value as StepKind })}
            >
              <option value="page">Page</option>
              <option value="event">Event</option>
            </select>
            <input
              type="text"
              aria-label={`Step ${i + 1} ${step.kind === 'page' ? 'page path' : 'event name'}`}
              value={step.value}
              placeholder={step.kind === 'page' ? '/pricing' : 'Signup'}
              onChange={(e) => change(i, { value: e.target.value })}
            />
            {steps.length > funnelStepLimits.min && (
              <button
                type="button"
                className="chip-remove"
                aria-label={`Remove step ${i + 1}`}
                onClick={() => setSteps(steps.filter((_, j) => j !== i))}
              >
                ×
              </button>
            )}
          </li>
        ))}
      </ol>
      {problem && (
        <p className="funnel-problem small" role="alert">
          {problem}
        </p>
      )}
      <div className="funnel-editor-actions">
        {steps.length < funnelStepLimits.max && (
          <button
            type="button"
            className="button-secondary"
            onClick={() => setSteps([...steps, { kind: 'page', value: '' }])}
          >
            Add step
          </button>
        )}
        <button type="submit" className="button-primary" disabled={saving}>
          Save funnel
        </button>
        <button type="button" className="button-secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
