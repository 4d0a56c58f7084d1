import type http from 'node:http';
import type { AddressInfo } from 'node:net';

export type LocalServer = {
  port: number;
  /** http://127.0.0.1:<port> */
  origin: string;
  /** Stop listening and cut open keep-alive connections; resolves once the server has closed. */
  close: () => Promise<void>;
};

/**
 * Tests: a node:http server listening on a free port of 127.0.0.1 (the identity and API test servers, test issuers,
 * webhook receivers). A failure to listen rejects instead of hanging the test.
 */
export async function listenLocally(server: http.Server): Promise<LocalServer> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    port,
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
