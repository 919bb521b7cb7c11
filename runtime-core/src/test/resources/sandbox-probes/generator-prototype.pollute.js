export const code = async () => attempt(() => trap(Object.getPrototypeOf(function* () {}).prototype, 'next'));
