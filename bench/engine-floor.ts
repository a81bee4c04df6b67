import http from 'node:http';
import { mapLimit } from '../main/util/timeout';

/** GET a JSON resource over a unix socket with a keep-alive agent: the cheapest way to ask the Engine anything. */
function getJson(agent: http.Agent, socketPath: string, resource: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const req = http.get({ socketPath, path: resource, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        try {
          resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
        } catch (error) {
          reject(error);
        }
      });
    });
    req.on('error', reject);
  });
}

/**
 * The API floor: what any audit of this daemon must at least ask, done directly. List and inspect every container
 * (same concurrency as Dockhand), plus /system/df and /info, all in parallel where the API allows.
 */
export async function apiFloor(socketPath: string, concurrency = 16): Promise<number> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency + 2 });
  const t0 = performance.now();
  await Promise.all([
    (async () => {
      const list = (await getJson(agent, socketPath, '/containers/json?all=1')) as { Id: string }[];
      await mapLimit(list, concurrency, (c) => getJson(agent, socketPath, `/containers/${c.Id}/json`));
    })(),
    getJson(agent, socketPath, '/system/df'),
    getJson(agent, socketPath, '/info'),
  ]);
  const ms = performance.now() - t0;
  agent.destroy();
  return ms;
}
