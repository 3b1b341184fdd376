import { useCallback, useEffect, useState } from 'react';
import { parseViewState, rangeProblem, serializeViewState, type ViewState } from '../lib/url-state.js';

/**
 * The view kept in the URL query: each change is a history entry, so the back button returns
 * to the previous view and a copied link opens the same one. The third value says why the link's
 * range was not shown, when it could not be (rangeProblem), until another view is chosen.
 */
export function useViewState(): [ViewState, (next: ViewState) => void, string | undefined] {
  const [view, setView] = useState(() => parseViewState(window.location.search));
  const [problem, setProblem] = useState(() => rangeProblem(window.location.search));

  useEffect(() => {
    const onPopState = () => {
      setView(parseViewState(window.location.search));
      setProblem(rangeProblem(window.location.search));
    };
    window.addEventListener('popstate', onPopState);
    return () => window.removeEventListener('popstate', onPopState);
  }, []);

  const navigate = useCallback((next: ViewState) => {
    const search = serializeViewState(next);
    if (search !== window.location.search) window.history.pushState(null, '', search);
    setView(next);
    setProblem(undefined);
  }, []);

  return [view, navigate, problem];
}
