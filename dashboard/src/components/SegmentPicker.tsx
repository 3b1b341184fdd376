import { type FormEvent, useState } from 'react';
import { useRead } from '../hooks/useRead.js';
import type { ApiError } from '../lib/api.js';
import type { Filter } from '../lib/filter.js';
import { deleteSegment, fetchSegments, saveSegment, segmentFilters, segmentOf } from '../lib/segments.js';

interface Props {
  apiUrl: string;
  readKey: string;
  /** A shared link applies segments but cannot save or delete them (the API refuses its key). */
  shared: boolean;
  filters: readonly Filter[];
  onApply: (filters: Filter[]) => void;
  onKeyRejected: (error: ApiError) => void;
}

/**
 * The org's saved segments (GET /segments): pick one to apply its filters; save the view's
 * filters under a name (PUT /segments, replacing one of that name); delete the picked one.
 */
export function SegmentPicker({ apiUrl, readKey, shared, filters, onApply, onKeyRejected }: Props) {
  // Bumped after a save or a delete: the list is read again.
  const [version, setVersion] = useState(0);
  const list = useRead(
    { apiUrl, readKey, version },
    (asked, signal) => fetchSegments(asked.apiUrl, asked.readKey, { signal }),
    onKeyRejected,
    { retryFailures: 'reload' },
  );
  const [naming, setNaming] = useState(false);
  const [name, setName] = useState('');
  const [problem, setProblem] = useState<string>();
  const segments = list.value?.segments ?? [];
  const picked = segmentOf(segments, filters);

  // A change's failure is told here, never as a refused key: a share link's 403 is not a sign-out.
  const change = async (act: () => Promise<void>) => {
    setProblem(undefined);
    try {
      await act();
      setVersion((v) => v + 1);
      return true;
    } catch (error) {
      setProblem((error as Error).message);
      return false;
    }
  };
  const save = async (event: FormEvent) => {
    event.preventDefault();
    if (await change(() => saveSegment(apiUrl, readKey, { name, filters }))) {
      setNaming(false);
      setName('');
    }
  };

  return (
    <div className="segments" data-testid="segments">
      <select
        aria-label="Segment"
        value={picked?.name ?? ''}
        disabled={segments.length === 0}
        onChange={(e) => {
          const segment = segments.find((s) => s.name === e.target.value);
          onApply(segment ? segmentFilters(segment) : []);
        }}
      >
        <option value="">{segments.length === 0 ? 'No saved segments' : 'Segments…'}</option>
        {segments.map((s) => (
          <option key={s.name} value={s.name}>
            {s.name}
          </option>
        ))}
      </select>
      {!shared && picked && (
        <button
          type="button"
          className="button-secondary button-small"
          aria-label={`Delete segment ${picked.name}`}
          onClick={() => void change(() => deleteSegment(apiUrl, readKey, picked.name))}
        >
          Delete segment
        </button>
      )}
      {!shared && filters.length > 0 && !picked && !naming && (
        <button type="button" className="button-secondary button-small" onClick={() => setNaming(true)}>
          Save as segment
        </button>
      )}
      {naming && (
        <form className="segment-save" aria-label="Save the filters as a segment" onSubmit={save}>
          <input
            aria-label="Segment name"
            value={name}
            maxLength={64}
            required
            placeholder="Google visitors, not DE"
            onChange={(e) => setName(e.target.value)}
          />
          <button type="submit" className="button-small">
            Save
          </button>
          <button type="button" className="button-secondary button-small" onClick={() => setNaming(false)}>
            Cancel
          </button>
        </form>
      )}
      {(problem ?? list.error?.message) && (
        <span className="small alert-inline" role="alert" data-testid="segments-problem">
          {problem ?? list.error?.message}
        </span>
      )}
    </div>
  );
}
