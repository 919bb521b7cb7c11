export const code = async () => attempt(() => trap(RegExp.prototype, 'exec'));
