export const code = async () => attempt(() => {
  const stash = [MARK];
  Object.defineProperty(Object.prototype, 'token', { set(v) { stash.push(v); }, get() { return stash; }, configurable: true });
  return 'setter on Object.prototype.token';
});
