export const code = async () => attempt(() => {
  // Indirect eval and the Function constructor run global code: a global let would outlive a pooled run.
  const run = globalThis.eval ? (0, globalThis.eval) : null;
  if (run) run("let __lexical = ['m4rk3r'];");
  Function("globalThis.__viaFunction = ['m4rk3r']")();
  return 'global code ran';
});
