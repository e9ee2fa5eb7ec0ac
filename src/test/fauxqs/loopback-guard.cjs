'use strict';
// Preloaded by the JUnit harness (FauxqsServer) with `node --require <this file> .../fauxqs/dist/cli.js`.
//
// 1. Loopback only: fauxqs 1.9.2 hard-codes `app.listen({ port, host: "0.0.0.0" })` and has no
//    option to change the bind address (FAUXQS_HOST only changes the host inside queue URLs).
//    This shim rewrites the host of every TCP listen() in this process to 127.0.0.1, so the
//    emulator is never reachable from outside the machine.
// 2. No orphans: if the JVM that started us dies without stopping us (kill -9, crash), the
//    process is re-parented; we notice the parent pid change and exit.
const net = require('node:net');

const BIND_HOST = '127.0.0.1';
const originalListen = net.Server.prototype.listen;

net.Server.prototype.listen = function listenOnLoopback(...args) {
  const first = args[0];
  if (first !== null && typeof first === 'object' && !(first instanceof net.Server)
      && first.path === undefined && first.fd === undefined && first._handle === undefined) {
    // listen(options[, callback]) - the form Fastify uses
    args[0] = { ...first, host: BIND_HOST };
  } else if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
    // listen(port[, host][, backlog][, callback])
    if (typeof args[1] === 'string' || args[1] === undefined || args[1] === null) {
      args[1] = BIND_HOST;
    } else {
      args.splice(1, 0, BIND_HOST);
    }
  } else if (first === undefined || typeof first === 'function') {
    // listen([callback]) - random port on all interfaces
    args.unshift(0, BIND_HOST);
  }
  return originalListen.apply(this, args);
};

const originalParent = process.ppid;
setInterval(() => {
  if (process.ppid !== originalParent) {
    process.exit(0);
  }
}, 1000).unref();
