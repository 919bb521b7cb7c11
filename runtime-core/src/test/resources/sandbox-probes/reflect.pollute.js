export const code = async () => attempt(() => trap(Reflect, 'get'));
