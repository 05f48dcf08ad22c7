// aws-local-stepfunctions 3.0.0 declares Node >= 22 and calls
// Promise.withResolvers (Node 22+) in its Task states. On Node 20 this
// one-line polyfill is all it needs.
Promise.withResolvers ??= () => { let resolve, reject; const promise = new Promise((res, rej) => { resolve = res; reject = rej; }); return { promise, resolve, reject }; };
