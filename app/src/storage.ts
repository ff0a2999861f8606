/**
 * The tokens in IndexedDB (never localStorage: DESIGN.md section 5). Each record holds
 * the seed only as the PIN-locked vault. Persistent storage is requested when the first
 * token is kept, so the browser does not evict it under storage pressure.
 */
import type { StoredToken, TokenStorage } from '../../src/authenticator/keychain.js';

const DB_NAME = 'pforte-authenticator';
const STORE = 'tokens';

function openDatabase(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE, { keyPath: 'id' });
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

function run<T>(
  database: IDBDatabase,
  mode: IDBTransactionMode,
  work: (store: IDBObjectStore) => IDBRequest,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const transaction = database.transaction(STORE, mode);
    const request = work(transaction.objectStore(STORE));
    // Resolve when the transaction is durable, not merely when the request succeeded.
    transaction.oncomplete = () => resolve(request.result as T);
    transaction.onerror = () => reject(transaction.error);
    transaction.onabort = () => reject(transaction.error);
  });
}

export async function openTokenStorage(): Promise<TokenStorage> {
  const database = await openDatabase();
  return {
    async list() {
      const tokens = await run<StoredToken[]>(database, 'readonly', (s) => s.getAll());
      return tokens.sort((a, b) => a.addedAt.localeCompare(b.addedAt));
    },
    get: (id) => run<StoredToken | undefined>(database, 'readonly', (s) => s.get(id)),
    async put(token) {
      await run(database, 'readwrite', (s) => s.put(token));
      void navigator.storage?.persist?.();
    },
    async update(id, change) {
      // One readwrite transaction: IndexedDB runs no other write to this store between
      // the read and the write, so overlapping taps or tabs cannot lose a change.
      return new Promise<StoredToken | undefined>((resolve, reject) => {
        const transaction = database.transaction(STORE, 'readwrite');
        const store = transaction.objectStore(STORE);
        let changed: StoredToken | undefined;
        const read = store.get(id);
        read.onsuccess = () => {
          const token = read.result as StoredToken | undefined;
          if (!token) return;
          changed = change(token);
          store.put(changed);
        };
        transaction.oncomplete = () => resolve(changed);
        transaction.onerror = () => reject(transaction.error);
        transaction.onabort = () => reject(transaction.error);
      });
    },
    async delete(id) {
      await run(database, 'readwrite', (s) => s.delete(id));
    },
  };
}
