export const code = async () => attempt(() => {
  const stash = [MARK];
  const RealProxy = Proxy;
  globalThis.Proxy = function (target, handler) { stash.push(target); return new RealProxy(target, handler); };
  globalThis.__stash = stash;
  return 'globalThis.Proxy replaced';
});
