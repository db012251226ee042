/**
 * Publishing a share link: the hash goes into the address bar (history.replaceState, no reload) and,
 * where the browser allows it, onto the clipboard; a notice says which happened. The whole state's
 * _Share_ and an exercise's _Share this exercise_ both use it.
 */
import { useStore } from '../state/store.ts';

export async function publishLink(
  hash: string,
  words: { copied: string; inAddressBar: string },
): Promise<void> {
  const url = new URL(window.location.href);
  url.hash = hash;
  history.replaceState(null, '', url);
  let copied: boolean;
  try {
    await navigator.clipboard.writeText(url.href);
    copied = true;
  } catch {
    copied = false;
  }
  useStore.getState().setNotice({ tone: 'info', text: copied ? words.copied : words.inAddressBar });
}
