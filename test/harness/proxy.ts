import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';

/**
 * An HTTP proxy on a loopback port that tunnels CONNECT requests, as a corporate proxy in front
 * of a self-hosted runner does. Every host is reached on 127.0.0.1 (so a test can give the
 * emulators made-up names that no resolver knows), and every CONNECT target is recorded.
 */
export class TunnelProxy {
  readonly tunnels: string[] = [];
  private readonly sockets = new Set<Socket>();

  private constructor(private readonly server: Server) {
    server.on('connect', (req, client: Socket) => {
      const target = req.url ?? '';
      this.tunnels.push(target);
      const port = Number(target.slice(target.lastIndexOf(':') + 1));
      const upstream = connect(port, '127.0.0.1', () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.pipe(client);
        client.pipe(upstream);
      });
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('error', () => socket.destroy());
        socket.on('close', () => this.sockets.delete(socket));
      }
      upstream.on('close', () => client.destroy());
      client.on('close', () => upstream.destroy());
    });
  }

  static async start(): Promise<TunnelProxy> {
    const server = createServer((_req, res) => {
      res.writeHead(405).end('this proxy only tunnels (CONNECT)');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return new TunnelProxy(server);
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
