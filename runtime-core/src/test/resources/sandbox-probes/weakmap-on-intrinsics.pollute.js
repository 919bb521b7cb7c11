export const code = async () => attempt(() => {
  // A WeakMap keyed on an intrinsic, kept where a later run can find it (a hidden intrinsic).
  const notes = new WeakMap();
  notes.set(Array.prototype, [MARK]);
  Object.defineProperty(Object.getPrototypeOf(function* () {}), '__notes', { value: notes, configurable: true });
  return 'WeakMap kept';
});
