/** The action catalog on the page (one lazy load, shared with the editor's completion and hover). */
import { useEffect, useState } from 'react';
import type { Catalog } from '../catalog/catalog.ts';
import { loadCatalog } from './editor/iamAssist.ts';

export function useCatalog(): { catalog?: Catalog; error?: string } {
  const [state, setState] = useState<{ catalog?: Catalog; error?: string }>({});
  useEffect(() => {
    let live = true;
    loadCatalog().then(
      (catalog) => live && setState({ catalog }),
      (e: unknown) =>
        live &&
        setState({ error: `The action catalog did not load: ${e instanceof Error ? e.message : String(e)}` }),
    );
    return () => {
      live = false;
    };
  }, []);
  return state;
}
