/** The action catalog on the page (loaded lazily by the editor assist), for the Learn views. */
import { useEffect, useState } from 'react';
import type { Catalog } from '../../catalog/catalog.ts';
import { loadCatalog } from '../editor/iamAssist.ts';

export function useLearnCatalog(): { catalog?: Catalog; error?: string } {
  const [state, setState] = useState<{ catalog?: Catalog; error?: string }>({});
  useEffect(() => {
    let live = true;
    loadCatalog().then(
      (catalog) => live && setState({ catalog }),
      (e: unknown) => live && setState({ error: `The action catalog did not load: ${String(e)}` }),
    );
    return () => {
      live = false;
    };
  }, []);
  return state;
}
