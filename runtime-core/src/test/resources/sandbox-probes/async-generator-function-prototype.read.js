export const code = async () => {
  const target = Object.getPrototypeOf(async function* () {});
  const own = Object.getOwnPropertyDescriptor(target, '__stash');
  return own === undefined ? null : own.value;
};
