export const code = async () => {
  const target = (function* () {}).constructor;
  const own = Object.getOwnPropertyDescriptor(target, '__stash');
  return own === undefined ? null : own.value;
};
