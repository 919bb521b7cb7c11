export const code = async () => attempt(() => trap(Object.getPrototypeOf(new Map()[Symbol.iterator]()), 'next'));
