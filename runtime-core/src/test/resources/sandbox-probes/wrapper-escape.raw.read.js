export const code = async () => (typeof __leak === 'undefined' ? null : __leak);
