// Work that outlives the call: a promise never resolved, a suspended async generator, a microtask chain,
// a WeakRef and (if still reachable) a FinalizationRegistry, each set to catch what a later run leaves behind.
export const code = async () => {
  const stash = [MARK];
  Object.defineProperty(Object.prototype, '__stash', { value: stash, configurable: true });
  new Promise((resolve) => { globalThis.__resolve = resolve; }).then((v) => stash.push(String(v)));
  async function* pending() { while (true) { const v = yield; stash.push(String(v)); } }
  const g = pending(); g.next(); globalThis.__gen = g;
  let hops = 0;
  const hop = () => { if (++hops < 1000) Promise.resolve().then(hop); else stash.push(JSON.stringify(globalThis.inputs)); };
  hop();
  globalThis.__ref = new WeakRef({});
  const FR = globalThis.FinalizationRegistry;
  if (typeof FR === 'function') new FR(() => stash.push('finalized')).register({}, 1);
  return attempt(() => 'left pending work');
};
