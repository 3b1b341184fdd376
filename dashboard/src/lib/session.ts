/**
 * Where the read key (or a shared link's share key) is kept while signed in: sessionStorage, so it survives a reload but not
 * the closing of the tab, and never the URL. Falls back to memory where storage is blocked.
 */
const storageKey = 'pageviews.readKey';
// Set when the key came from a shared link: the view says "Shared view" and offers no sign-in.
const sharedKey = 'pageviews.shared';
let memoryKey: string | undefined;
let memoryShared = false;

function storage(): Storage | undefined {
  try {
    return globalThis.sessionStorage;
  } catch {
    return undefined; // some privacy modes throw on access
  }
}

export function loadReadKey(): string | undefined {
  return storage()?.getItem(storageKey) ?? memoryKey;
}

/** Whether the key in the session came from a shared link. */
export function isSharedSession(): boolean {
  const stored = storage()?.getItem(sharedKey);
  return stored === null || stored === undefined ? memoryShared : stored === '1';
}

export function saveReadKey(key: string, shared = false): void {
  memoryKey = key;
  memoryShared = shared;
  try {
    storage()?.setItem(storageKey, key);
    storage()?.setItem(sharedKey, shared ? '1' : '0');
  } catch {
    // Storage full or blocked: memory still holds it for this page's life.
  }
}

export function clearReadKey(): void {
  memoryKey = undefined;
  memoryShared = false;
  storage()?.removeItem(storageKey);
  storage()?.removeItem(sharedKey);
}
