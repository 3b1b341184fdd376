import { useCallback, useEffect, useState } from 'react';
import { parseViewState, serializeViewState, type ViewState } from '../lib/url-state.js';

/**
 * The view kept in the URL query: each change is a history entry, so the back button returns
 * to the previous view and a copied link opens the same one.
 */
export function useViewState(): [ViewState, (next: ViewState) => void] {
  const [view, setView] = useState(() => parseViewState(window.location.search));

  useEffect(() => {
    const onPopState = () => setView(parseViewState(window.location.search));
    window.addEventListener('popstate', onPopState);
    return () => window.removeEventListener('popstate', onPopState);
  }, []);

  const navigate = useCallback((next: ViewState) => {
    const search = serializeViewState(next);
    if (search !== window.location.search) window.history.pushState(null, '', search);
    setView(next);
  }, []);

  return [view, navigate];
}
