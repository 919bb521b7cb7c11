export const code = async () => {
  const target = Error;
  const own = Object.getOwnPropertyDescriptor(target, '__stash');
  return own === undefined ? null : own.value;
};
