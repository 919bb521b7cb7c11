export const code = async () => attempt(() => {
  Error.stackTraceLimit = 424242;
  Object.defineProperty(Error, '__stash', { value: [MARK], configurable: true });
  return 'Error.stackTraceLimit set';
});
