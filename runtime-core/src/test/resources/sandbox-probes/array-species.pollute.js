export const code = async () => attempt(() => {
  const stash = [MARK];
  class Spy extends Array { constructor(...a) { super(...a); stash.push(this); } }
  Object.defineProperty(Array, Symbol.species, { get() { return Spy; }, configurable: true });
  Object.defineProperty(Array, '__stash', { value: stash, configurable: true });
  return 'Array[Symbol.species] replaced';
});
