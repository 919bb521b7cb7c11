export const code = async () => attempt(() => trap(Object.getPrototypeOf('a'.matchAll(/a/g)), 'next'));
