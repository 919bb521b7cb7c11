export const code = async () => {
  const target = Object.getPrototypeOf(Uint8Array.prototype);
  const own = Object.getOwnPropertyDescriptor(target, '__stash');
  return own === undefined ? null : own.value;
};
