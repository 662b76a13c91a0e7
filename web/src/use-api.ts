// Load data for a page; re-fetch when the key changes, ignore stale answers.
import { useEffect, useState } from 'react';

export function useApi<T>(load: () => Promise<T>, key: string): { data?: T; error?: Error; loading: boolean } {
  const [state, setState] = useState<{ data?: T; error?: Error; loading: boolean; key?: string }>({ loading: true });
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    load().then((data) => { if (live) setState({ data, loading: false, key }); }, (error: Error) => { if (live) setState({ error, loading: false, key }); });
    return () => { live = false; };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
  return state;
}
