}); let __leak = ['m4rk3r']; (function () { const code = async (inputs) => { __leak.push(inputs.secret); return __leak.length; };
