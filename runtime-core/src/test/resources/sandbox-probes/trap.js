const MARK = 'm4rk3r';
let busy = false;
const record = (stash, v) => {
  try { stash.push(typeof v === 'string' ? v : JSON.stringify(v)); } catch (e) { try { stash.push(String(v)); } catch (x) { /* unprintable */ } }
};
const trap = (target, name) => {
  const stash = [MARK];
  const orig = target[name];
  Object.defineProperty(target, '__stash', { value: stash, configurable: true, writable: true });
  const spy = function (...args) {
    const r = typeof orig === 'function' ? Reflect.apply(orig, this, args) : undefined;
    if (!busy) {
      busy = true;
      try { for (let i = 0; i < args.length; i++) record(stash, args[i]); record(stash, r); } finally { busy = false; }
    }
    return r;
  };
  Object.defineProperty(target, name, { value: spy, configurable: true, writable: true });
  return 'trapped ' + String(name);
};
const attempt = (f) => { try { return f(); } catch (e) { return 'refused: ' + e.name; } };
