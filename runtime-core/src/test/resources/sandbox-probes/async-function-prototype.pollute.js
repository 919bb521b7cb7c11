export const code = async () => attempt(() => trap(Object.getPrototypeOf(async function () {}), 'bind'));
