export const code = async () => {
  for (let i = 0; i < 100; i++) await null; // let any leftover job run now, if one crossed over
  return [typeof globalThis.__resolve, typeof globalThis.__gen, typeof globalThis.__ref,
    ({}).__stash === undefined ? null : ({}).__stash];
};
