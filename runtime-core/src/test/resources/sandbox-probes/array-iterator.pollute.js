export const code = async () => attempt(() => trap(Object.getPrototypeOf([][Symbol.iterator]()), 'next'));
