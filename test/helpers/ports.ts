import net from 'node:net';

/** Ports this process has handed out: the system may offer a closed one again straight away. */
const given = new Set<number>();

function askSystem(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/** A port free on 127.0.0.1 right now, and not one given to another caller in this process. */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = await askSystem();
    if (given.has(port)) continue;
    given.add(port);
    return port;
  }
}
