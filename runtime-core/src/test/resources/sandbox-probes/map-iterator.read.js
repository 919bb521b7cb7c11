export const code = async () => {
  const target = Object.getPrototypeOf(new Map()[Symbol.iterator]());
  const own = Object.getOwnPropertyDescriptor(target, '__stash');
  return own === undefined ? null : own.value;
};
