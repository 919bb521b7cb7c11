export const code = async () => {
  try { const other = await import('@POLLUTER@'); return other.leak; } catch (e) { return 'refused: ' + String(e.message).split('(')[0]; }
};
