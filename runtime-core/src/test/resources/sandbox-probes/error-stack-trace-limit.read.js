export const code = async () => {
  const own = Object.getOwnPropertyDescriptor(Error, '__stash');
  return [Error.stackTraceLimit === 424242 ? MARK_SEEN() : Error.stackTraceLimit, own === undefined ? null : own.value];
};
const MARK_SEEN = () => 'm4rk3r: the polluter\'s stackTraceLimit stayed';
