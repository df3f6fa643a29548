// Fakes of the chrome.* pieces the worker's unit tests need (the real ones run in the e2e tests).

/** A chrome.storage area in memory (get by key, keys or everything; set; remove). */
export function fakeStorageArea(initial = {}) {
  const data = { ...initial };
  return {
    data,
    async get(keys) {
      if (keys == null) return structuredClone(data);
      const list = typeof keys === "string" ? [keys] : Array.isArray(keys) ? keys : Object.keys(keys);
      return Object.fromEntries(list.filter((k) => k in data).map((k) => [k, structuredClone(data[k])]));
    },
    async set(values) {
      Object.assign(data, structuredClone(values));
    },
    async remove(keys) {
      for (const k of [].concat(keys)) delete data[k];
    },
    clear() {
      for (const k of Object.keys(data)) delete data[k];
    },
  };
}
