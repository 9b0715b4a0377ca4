/**
 * Preloaded (`node -r`) into the Agents Playground, which listens on every interface and has no
 * host option: any listen() without an explicit host binds to 127.0.0.1 instead.
 */
import net from 'node:net';

const originalListen = net.Server.prototype.listen;

function loopbackListen(this: net.Server, ...args: unknown[]): net.Server {
  const [first] = args;
  if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
    const rest = args.slice(1);
    if (typeof rest[0] !== 'string') rest.unshift('127.0.0.1');
    return originalListen.apply(this, [first, ...rest] as never);
  }
  if (first && typeof first === 'object' && !('fd' in first) && !('path' in first)) {
    const options = first as net.ListenOptions;
    if (!options.host)
      return originalListen.apply(this, [
        { ...options, host: '127.0.0.1' },
        ...args.slice(1),
      ] as never);
  }
  if (first === undefined || typeof first === 'function') {
    return originalListen.apply(this, [0, '127.0.0.1', ...args] as never);
  }
  return originalListen.apply(this, args as never);
}

net.Server.prototype.listen = loopbackListen as typeof net.Server.prototype.listen;
