export const code = async () => (typeof globalThis.__stash === 'undefined' ? null : globalThis.__stash);
