const stash = ['m4rk3r'];
export const leak = stash;
export const code = async (inputs) => { stash.push(inputs.secret); return stash.length; };
