export const code = async () => attempt(() => trap(String.prototype, 'toUpperCase'));
