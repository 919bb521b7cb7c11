export const code = async () => attempt(() => trap(Symbol, 'for'));
