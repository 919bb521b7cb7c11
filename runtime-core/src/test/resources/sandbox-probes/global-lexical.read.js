export const code = async () => [typeof __lexical === 'undefined' ? null : __lexical,
  typeof globalThis.__viaFunction === 'undefined' ? null : globalThis.__viaFunction];
