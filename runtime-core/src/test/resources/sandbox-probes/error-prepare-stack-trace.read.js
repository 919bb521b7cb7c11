export const code = async () => {
  const own = Object.getOwnPropertyDescriptor(Error, '__stash');
  return own === undefined ? null : own.value;
};
