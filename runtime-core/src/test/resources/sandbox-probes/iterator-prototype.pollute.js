export const code = async () => attempt(() => trap(Object.getPrototypeOf(Object.getPrototypeOf([][Symbol.iterator]())), 'map'));
