export const code = async () => attempt(() => trap(Object, 'keys'));
