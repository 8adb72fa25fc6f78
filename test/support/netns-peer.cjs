// A tiny network peer for the firewall tests, run inside a test's own network namespace
// (`ip netns exec NS node netns-peer.cjs ...`):
//
//   serve tcp:22 tcp:6443 udp:51820 ...   listens on every address of the namespace (IPv4 and
//                                          IPv6); TCP answers "hi\n" and closes, UDP echoes.
//                                          Prints "ready" once every port listens.
//   probe ADDRESS tcp:22 udp:51820 ...     tries each port once, all at once, and prints one JSON
//                                          object: { "tcp:22": "open" | "blocked" | "refused", ... }.
//
// A dropped packet is a timeout ("blocked"); a port with no listener answers with a reset
// ("refused"). The timeout only bounds the wait: on veth pairs an answer takes microseconds.
'use strict';
const net = require('node:net');
const dgram = require('node:dgram');

const WAIT_MS = Number(process.env.NETNS_PEER_WAIT_MS || 4000);
const [mode, ...args] = process.argv.slice(2);

function parse(spec) {
  const [protocol, port] = spec.split(':');
  if ((protocol !== 'tcp' && protocol !== 'udp') || !/^\d+$/.test(port)) throw new Error(`not proto:port: ${spec}`);
  return { protocol, port: Number(port) };
}

function serve(specs) {
  let pending = specs.length;
  const ready = () => {
    pending -= 1;
    if (pending === 0) process.stdout.write('ready\n');
  };
  for (const spec of specs) {
    const { protocol, port } = parse(spec);
    if (protocol === 'tcp') {
      const server = net.createServer((socket) => socket.end('hi\n'));
      server.on('error', (e) => {
        process.stderr.write(`tcp:${port}: ${e.message}\n`);
        process.exit(1);
      });
      server.listen({ port, host: '::', ipv6Only: false }, ready);
    } else {
      const socket = dgram.createSocket({ type: 'udp6', ipv6Only: false });
      socket.on('message', (msg, rinfo) => socket.send(msg, rinfo.port, rinfo.address));
      socket.on('error', (e) => {
        process.stderr.write(`udp:${port}: ${e.message}\n`);
        process.exit(1);
      });
      socket.bind({ port, address: '::' }, ready);
    }
  }
}

function tryTcp(address, port) {
  return new Promise((resolve) => {
    const socket = net.connect({ host: address, port });
    const timer = setTimeout(() => {
      socket.destroy();
      resolve('blocked');
    }, WAIT_MS);
    socket.once('data', () => {
      clearTimeout(timer);
      socket.destroy();
      resolve('open');
    });
    socket.once('error', (e) => {
      clearTimeout(timer);
      resolve(e.code === 'ECONNREFUSED' ? 'refused' : `error ${e.code}`);
    });
  });
}

function tryUdp(address, port) {
  return new Promise((resolve) => {
    const socket = dgram.createSocket(net.isIPv6(address) ? 'udp6' : 'udp4');
    const timer = setTimeout(() => {
      socket.close();
      resolve('blocked');
    }, WAIT_MS);
    socket.once('message', () => {
      clearTimeout(timer);
      socket.close();
      resolve('open');
    });
    socket.once('error', (e) => {
      clearTimeout(timer);
      socket.close();
      resolve(e.code === 'ECONNREFUSED' ? 'refused' : `error ${e.code}`);
    });
    socket.send(Buffer.from('ping'), port, address);
  });
}

async function probe(address, specs) {
  const results = await Promise.all(
    specs.map(async (spec) => {
      const { protocol, port } = parse(spec);
      return [spec, protocol === 'tcp' ? await tryTcp(address, port) : await tryUdp(address, port)];
    }),
  );
  process.stdout.write(`${JSON.stringify(Object.fromEntries(results))}\n`);
}

if (mode === 'serve') serve(args);
else if (mode === 'probe') probe(args[0], args.slice(1)).catch((e) => {
  process.stderr.write(`${e.message}\n`);
  process.exit(1);
});
else {
  process.stderr.write('usage: netns-peer.cjs serve proto:port... | probe ADDRESS proto:port...\n');
  process.exit(2);
}
