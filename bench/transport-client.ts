// One Engine client's bulk reads as a cold process, as `dockhand audit` pays them: load the client, ping, list every
// container and inspect each (16 at a time, as the audit), /system/df and /info. Prints the wall time from process
// start and the process's CPU time, in ms. Usage: transport-client ENDPOINT_JSON READS
import { createEngineApi, type RequestPath } from '../main/collect/engine-api';
import { LocalHost } from '../main/host/local-host';
import { mapLimit } from '../main/util/timeout';
import type { Endpoint } from '../shared/endpoint';

async function main(): Promise<void> {
  const [endpointJson, reads] = process.argv.slice(2);
  const endpoint = JSON.parse(endpointJson!) as Endpoint;
  const api = await createEngineApi(new LocalHost(), endpoint, 120_000, { reads: reads as RequestPath });
  await api.ping();
  await Promise.all([
    (async () => {
      const list = await api.get<{ Id: string }[]>('/containers/json', { all: '1' });
      await mapLimit(list, 16, (c) => api.get(`/containers/${c.Id}/json`));
    })(),
    api.get('/system/df'),
    api.get('/info'),
  ]);
  api.close();
  const cpu = process.cpuUsage();
  process.stdout.write(`${performance.now()} ${(cpu.user + cpu.system) / 1000}\n`);
}

void main();
