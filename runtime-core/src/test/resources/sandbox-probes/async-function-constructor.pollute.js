export const code = async () => attempt(() => trap((async function () {}).constructor, 'toString'));
