export const code = async () => attempt(() => trap(Function.prototype, 'bind'));
