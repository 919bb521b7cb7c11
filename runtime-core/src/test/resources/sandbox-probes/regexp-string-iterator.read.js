export const code = async () => {
  const target = Object.getPrototypeOf('a'.matchAll(/a/g));
  const own = Object.getOwnPropertyDescriptor(target, '__stash');
  return own === undefined ? null : own.value;
};
