/**
 * Where the read key is kept while signed in: sessionStorage, so it survives a reload but not
 * the closing of the tab, and never the URL. Falls back to memory where storage is blocked.
 */
const storageKey = 'pageviews.readKey';
let memoryKey: string | undefined;

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

export function saveReadKey(key: string): void {
  memoryKey = key;
  try {
    storage()?.setItem(storageKey, key);
  } catch {
    // Storage full or blocked: memory still holds it for this page's life.
  }
}

export function clearReadKey(): void {
  memoryKey = undefined;
  storage()?.removeItem(storageKey);
}
