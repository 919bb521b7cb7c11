export const code = async () => attempt(() => {
  const stash = [MARK];
  Error.prepareStackTrace = (error, frames) => { stash.push(String(error && error.message)); return 'trapped'; };
  Object.defineProperty(Error, '__stash', { value: stash, configurable: true });
  return 'Error.prepareStackTrace set';
});
