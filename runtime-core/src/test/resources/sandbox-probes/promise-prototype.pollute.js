export const code = async () => attempt(() => trap(Promise.prototype, 'then'));
