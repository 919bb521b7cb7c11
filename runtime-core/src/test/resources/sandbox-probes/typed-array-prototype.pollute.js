export const code = async () => attempt(() => trap(Object.getPrototypeOf(Uint8Array.prototype), 'map'));
