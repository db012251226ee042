/** Store selectors shared by the Learn panels. */
import { useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { CheckRequest, CheckResponse, CompareResponse } from '../../checks/types.ts';
import { buildRequest, pickRequestFields } from '../../state/snapshot.ts';
import { useStore } from '../../state/store.ts';

/** The engine request the current documents and check settings describe (the one the app runs). */
export function useCheckRequest(): { request: CheckRequest; key: string } {
  const s = useStore(useShallow(pickRequestFields));
  return useMemo(() => {
    const request = buildRequest(s);
    return { request, key: JSON.stringify(request) };
  }, [s]);
}

/** The latest finished check response, if any. */
export function useLatestResponse(): CheckResponse | CompareResponse | undefined {
  const run = useStore((s) => s.run);
  const a = run?.answer;
  return a?.kind === 'result' && a.outcome.ok ? a.outcome.response : undefined;
}
