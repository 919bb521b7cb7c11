export const code = async () => attempt(() => trap(Date.prototype, 'toISOString'));
