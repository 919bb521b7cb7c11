export const code = async () => attempt(() => trap(Array.prototype, 'push'));
