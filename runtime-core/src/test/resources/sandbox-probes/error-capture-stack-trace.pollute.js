export const code = async () => attempt(() => trap(Error, 'captureStackTrace'));
