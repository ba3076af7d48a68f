import {
  createServer,
  IncomingMessage,
  request,
  Server,
  ServerResponse,
} from 'node:http';
import { AddressInfo } from 'node:net';

/** A loopback HTTP proxy in front of moto that loses the response to chosen requests. */
export type LossyProxy = {
  /** Base URL to give the AWS clients as `endpoint`. */
  endpoint: string;
  /** The API action of every request forwarded, in order (e.g. `CreateVpcEndpointServiceConfiguration`). */
  readonly forwarded: string[];
  /** Actions whose response was dropped after moto had carried them out. */
  readonly dropped: string[];
  close(): Promise<void>;
};

/**
 * Starts a proxy that forwards every request to `target`, but for the first request of each action in
 * `dropFirst` it lets moto carry the request out, reads moto's answer and then destroys the client's socket
 * instead of answering: the caller sees a reset connection, exactly like a response lost on the network.
 */
export async function startLossyProxy(options: {
  target: string;
  dropFirst: string[];
}): Promise<LossyProxy> {
  const target = new URL(options.target);
  const toDrop = new Set(options.dropFirst);
  const forwarded: string[] = [];
  const dropped: string[] = [];

  const server: Server = createServer(
    (req: IncomingMessage, res: ServerResponse) => {
      const chunks: Buffer[] = [];
      req.on('data', chunk => chunks.push(chunk));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        const action = actionOf(req, body);
        forwarded.push(action);
        const drop = toDrop.delete(action);
        const upstream = request(
          {
            host: target.hostname,
            port: target.port,
            method: req.method,
            path: req.url,
            headers: { ...req.headers, host: target.host },
          },
          upstreamRes => {
            if (drop) {
              // moto has done the work; the answer never reaches the caller.
              upstreamRes.resume();
              upstreamRes.on('end', () => {
                dropped.push(action);
                req.socket.destroy();
              });
              return;
            }
            res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers);
            upstreamRes.pipe(res);
          },
        );
        upstream.on('error', err => {
          res.writeHead(502);
          res.end(String(err));
        });
        upstream.end(body);
      });
    },
  );
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    endpoint: `http://127.0.0.1:${port}`,
    forwarded,
    dropped,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close(err => (err ? reject(err) : resolve()));
      }),
  };
}

/** The API action: the `Action` form field (query protocols) or the `X-Amz-Target` header (JSON protocols). */
function actionOf(req: IncomingMessage, body: Buffer): string {
  const fromBody = new URLSearchParams(body.toString('utf8')).get('Action');
  if (fromBody) return fromBody;
  const amzTarget = req.headers['x-amz-target'];
  if (typeof amzTarget === 'string') return amzTarget.split('.').pop() ?? '';
  return `${req.method} ${req.url}`;
}
