export const code = async () => attempt(() => trap(JSON, 'stringify'));
