export const code = async () => {
  const target = Reflect;
  const own = Object.getOwnPropertyDescriptor(target, '__stash');
  return own === undefined ? null : own.value;
};
