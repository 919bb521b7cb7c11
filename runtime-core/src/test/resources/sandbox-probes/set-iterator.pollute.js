export const code = async () => attempt(() => trap(Object.getPrototypeOf(new Set()[Symbol.iterator]()), 'next'));
