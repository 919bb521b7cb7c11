export const code = async () => attempt(() => trap((function* () {}).constructor, 'toString'));
