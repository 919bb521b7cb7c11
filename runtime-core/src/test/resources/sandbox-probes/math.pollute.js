export const code = async () => attempt(() => trap(Math, 'max'));
