export const code = async () => attempt(() => trap(console, 'log'));
