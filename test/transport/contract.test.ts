// The Engine client's contract, against real daemons of every engine, over every endpoint kind a user has: the unix
// socket, TCP with mutual TLS, and ssh:// (a real sshd, the system's ssh, `docker system dial-stdio`). Each endpoint
// runs the same assertions through each implementation that can carry it: the read-only pipelining client
// (http1-reads) and dockerode. Removals always go through dockerode's object API.
import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import type { Endpoint } from '../../shared/endpoint';
import { createEngineApi, type EngineApi, EngineApiError, type RequestPath } from '../../main/collect/engine-api';
import { LogTail } from '../../main/collect/log-tail';
import { LocalHost } from '../../main/host/local-host';
import { type EngineTest, forEachEngine, importBusybox } from '../support/dockerd';
import { startTestSshd, type TestSshd } from '../support/sshd';
import { type EngineEndpoints, endpointOf, freePort, startEndpoints } from './endpoints';
import { post } from '../../bench/engine-post';
import { type HostileEngine, startHostileEngine } from './hostile-engine';

interface Fixture {
  /** A created (never started) container with a label full of JSON-ish characters and a large body. */
  createdId: string;
  /** An image whose parent is untagged: removing it without noprune=1 removes the parent too. */
  childRef: string;
  parentId: string;
  /** The size of the created container's labels: its inspect is a large, chunked body. */
  bigLabel: string;
}

const PROBE = 'a b{c}&d=e?f#g';

async function fixture(e: EngineEndpoints): Promise<Fixture> {
  const d = e.daemon;
  await importBusybox(d, 'base:1');
  // A 300 KB label: the Engine streams a body that size chunked.
  const bigLabel = 'x'.repeat(300 * 1024);
  // Through the API: an argument that long is more than a command line may carry.
  const made = await post(d.socket, '/containers/create?name=made-not-started', {
    Image: 'base:1',
    Labels: { probe: PROBE, big: bigLabel },
    HostConfig: { NetworkMode: 'none' },
  });
  assert.equal(made.status, 201, JSON.stringify(made.json));
  const createdId = (made.json as { Id: string }).Id;
  await d.docker(['tag', 'base:1', 'parent:1']);
  await d.docker(['run', '--network', 'none', '--name', 'layer', 'parent:1', 'sh', '-c', 'echo x > /x']);
  await d.docker(['commit', 'layer', 'child:1']);
  await d.docker(['rm', 'layer']);
  await d.docker(['rmi', 'parent:1']);
  // Logs: stdout and stderr frames, and a TTY's raw stream whose only line (42) would parse as JSON.
  await d.docker(['run', '--network', 'none', '--name', 'talker', 'base:1', 'sh', '-c', 'echo hello; echo oops >&2']);
  await d.docker(['run', '-t', '--network', 'none', '--name', 'answer', 'base:1', 'sh', '-c', 'echo 42']);
  const parentId = await d.docker(['image', 'inspect', '--format', '{{.Parent}}', 'child:1']);
  assert.match(parentId, /^sha256:/, 'the committed image has an untagged parent');
  return { createdId, childRef: 'child:1', parentId, bigLabel };
}

const rejectsWith = async (promise: Promise<unknown>, check: (e: EngineApiError) => void) => {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  assert.ok(error instanceof EngineApiError, `an EngineApiError, not ${String(error)}`);
  check(error);
};

/** What every client must do over every endpoint. */
function contract(test: EngineTest, label: string, f: () => Fixture, client: () => EngineApi): void {
  test(`${label}: all=1 lists the created container, and not without it`, async () => {
    const list = await client().get<{ Id: string }[]>('/containers/json', { all: '1' });
    assert.ok(list.some((c) => c.Id === f().createdId));
    const running = await client().get<{ Id: string }[]>('/containers/json', {});
    assert.ok(!running.some((c) => c.Id === f().createdId));
  });

  test(`${label}: a JSON filter with braces, spaces, & ? # and = arrives whole`, async () => {
    const hit = await client().get<{ Id: string }[]>('/containers/json', {
      all: '1',
      filters: JSON.stringify({ label: [`probe=${PROBE}`] }),
    });
    assert.deepEqual(
      hit.map((c) => c.Id),
      [f().createdId],
    );
    const miss = await client().get<{ Id: string }[]>('/containers/json', {
      all: '1',
      filters: JSON.stringify({ label: [`probe=${PROBE.slice(0, -1)}`] }),
    });
    assert.deepEqual(miss, []);
  });

  test(`${label}: inspect reads a large chunked body whole`, async () => {
    const inspect = await client().get<{ Id: string; Config: { Labels: Record<string, string> } }>(`/containers/${f().createdId}/json`);
    assert.equal(inspect.Id, f().createdId);
    assert.equal(inspect.Config.Labels.big, f().bigLabel);
  });

  test(`${label}: 404 and 400 carry the status and the Engine's own message`, async () => {
    await rejectsWith(client().get('/containers/no-such-container/json'), (e) => {
      assert.equal(e.statusCode, 404);
      assert.match(e.message, /returned HTTP 404: No such container: no-such-container/i);
    });
    await rejectsWith(client().get('/containers/json', { filters: '{"label":' }), (e) => {
      assert.ok(e.statusCode === 400 || e.statusCode === 500, `a bad filter is the client's fault (${e.statusCode})`);
      assert.match(e.message, /returned HTTP (400|500): .+/);
    });
  });

  test(`${label}: a removal the Engine refuses is a 409 with its message; nothing is forced`, async () => {
    // base:1 is the created container's image: removing the reference without force is refused.
    await rejectsWith(client().remove('image', 'base:1'), (e) => {
      assert.equal(e.statusCode, 409);
      assert.match(e.message, /DELETE \/images\/base%3A1 on .* returned HTTP 409: .*(must force|being used|is using)/);
    });
    await rejectsWith(client().remove('container', 'no-such-container'), (e) => assert.equal(e.statusCode, 404));
  });

  test(`${label}: an image removal keeps its untagged parent (noprune=1 arrived)`, async () => {
    await client().remove('image', f().childRef);
    await rejectsWith(client().get(`/images/${encodeURIComponent(f().childRef)}/json`), (e) => assert.equal(e.statusCode, 404));
    const parent = await client().get<{ Id: string }>(`/images/${encodeURIComponent(f().parentId)}/json`);
    assert.equal(parent.Id, f().parentId);
  });

  test(`${label}: a log arrives as the Engine's bytes: frames without a TTY, raw with one (never parsed as JSON), 404 with the message`, async () => {
    const read = async (name: string, framed: boolean) => {
      const tail = new LogTail(framed, 20, 300);
      await client().getRaw(`/containers/${name}/logs`, { stdout: '1', stderr: '1', tail: '20' }, (chunk) => tail.push(chunk));
      return tail.end();
    };
    // The daemon copies stdout and stderr apart: their order in the log is not fixed.
    const talker = await read('talker', true);
    assert.deepEqual(
      { ...talker, lines: talker.lines.sort((a, b) => a.stream.localeCompare(b.stream)) },
      {
        lines: [
          { stream: 'stderr', text: 'oops' },
          { stream: 'stdout', text: 'hello' },
        ],
        cutLines: 0,
        streamProblem: null,
      },
    );
    assert.deepEqual((await read('answer', false)).lines, [{ stream: 'tty', text: '42' }]);
    await rejectsWith(
      client().getRaw('/containers/no-such-container/logs', { stdout: '1' }, () => undefined),
      (e) => {
        assert.equal(e.statusCode, 404);
        assert.match(e.message, /GET \/containers\/no-such-container\/logs on .* returned HTTP 404: .*no such container/i);
      },
    );
  });

  test(`${label}: many reads at once all arrive, each matched to its answer`, async () => {
    const ids = Array.from({ length: 60 }, () => f().createdId);
    const all = await Promise.all(
      ids.map((id, i) => (i % 2 ? client().get<{ Id: string }>(`/containers/${id}/json`) : client().get<{ ID: string }>('/info'))),
    );
    all.forEach((answer, i) =>
      assert.ok(i % 2 ? (answer as { Id: string }).Id === f().createdId : typeof (answer as { ID: string }).ID === 'string'),
    );
  });
}

/** A broken Engine (a process of its own) over one endpoint: a half body that hangs, a close mid-body, the connection limit. */
function misbehaviour(test: EngineTest, label: string, client: () => EngineApi, bad: () => HostileEngine, limit: number): void {
  test(`${label}: a daemon that stops answering half-way is a timeout, not a hang`, async () => {
    await client().ping();
    await rejectsWith(client().get('/hang', {}, 1500), (e) => {
      assert.equal(e.code, 'timeout');
      assert.match(e.message, /GET \/hang.*did not answer within 1\.5 s/);
    });
  });

  test(`${label}: a daemon that closes half-way through a body stopped or crashed (after it answered)`, async () => {
    await client().ping();
    await rejectsWith(client().get('/close', {}, 10_000), (e) => {
      assert.notEqual(e.code, 'timeout', `a close is seen as one, not waited out: ${e.message}`);
      assert.match(e.message, /closed the connection during GET \/close|GET \/close/);
    });
  });

  test(`${label}: at most ${limit} connections at once, and that many requests in parallel`, async () => {
    const tag = label.replace(/\W+/g, '_');
    // Each answer is held until `limit` requests wait at once: a client that sent fewer in parallel would hang here.
    const answers = await Promise.all(
      Array.from({ length: limit * 3 }, () => client().get<{ held: boolean }>(`/hold/${limit}/${tag}`, {}, 60_000)),
    );
    assert.ok(answers.every((a) => a.held));
    const peak = (await bad().stats()).peaks[tag] ?? 0;
    assert.ok(peak >= 1 && peak <= limit, `${peak} connections waited at once, with a limit of ${limit}`);
  });
}

forEachEngine('Engine client contract over unix, TLS and ssh', (engine, test) => {
  let e: EngineEndpoints;
  let f: Fixture;
  const apis = new Map<string, EngineApi>();
  const timeout = 30_000;
  const open = async (key: string, endpoint: Endpoint, reads: RequestPath) => {
    const api = await createEngineApi(e.host, endpoint, timeout, { reads });
    apis.set(key, api);
    return api;
  };

  before(async () => {
    e = await startEndpoints(engine);
    f = await fixture(e);
    for (const reads of ['http1-reads', 'dockerode'] as const) {
      await open(`unix ${reads}`, e.unix, reads);
      await open(`tls ${reads}`, e.tcp(), reads);
    }
    await open('ssh dockerode', e.ssh, 'dockerode');
  });
  after(async () => {
    for (const api of apis.values()) api.close();
    await e?.stop();
  });

  // Each removal test removes child:1 once; later clients see it gone, so the fixture is rebuilt per client.
  for (const key of ['unix http1-reads', 'unix dockerode', 'tls http1-reads', 'tls dockerode', 'ssh dockerode']) {
    test(`${key}: the fixture's child image is back`, async () => {
      await e.daemon.docker(['image', 'inspect', f.childRef]).catch(async () => {
        await e.daemon.docker(['tag', f.parentId, 'parent:1']);
        await e.daemon.docker(['run', '--network', 'none', '--name', 'layer', 'parent:1', 'sh', '-c', 'echo x > /x']);
        await e.daemon.docker(['commit', 'layer', f.childRef]);
        await e.daemon.docker(['rm', 'layer']);
        await e.daemon.docker(['rmi', 'parent:1']);
      });
    });
    contract(
      test,
      key,
      () => f,
      () => apis.get(key)!,
    );
  }

  test('TLS: the dockerode and pipelining clients both ask the daemon with TLS, verified both ways', async () => {
    for (const key of ['tls http1-reads', 'tls dockerode'])
      assert.equal((await apis.get(key)!.get<{ ID: string }>('/info')).ID.length > 0, true);
  });

  for (const reads of ['http1-reads', 'dockerode'] as const) {
    test(`TLS (${reads}): a CA that did not sign the daemon's certificate is a clear TLS error, never plain HTTP`, async () => {
      const api = await createEngineApi(new LocalHost({}), e.tcp(e.tls.wrongCa), 10_000, { reads });
      try {
        await rejectsWith(api.ping(), (err) => {
          assert.equal(err.statusCode, undefined, 'no HTTP answer: the request was never sent in the clear');
          assert.match(
            err.message,
            /^TLS to tcp:\/\/127\.0\.0\.1:\d+ failed: the daemon's certificate did not verify \(.*(self.signed|unable to (get|verify)).*\)/i,
          );
        });
        await rejectsWith(api.remove('container', f.createdId), (err) => assert.match(err.message, /^TLS to /));
      } finally {
        api.close();
      }
      assert.ok(await e.daemon.docker(['inspect', '--format', '{{.Id}}', f.createdId]), 'nothing was removed');
    });

    test(`TLS (${reads}): an expired client certificate, or one of another CA, is refused by the daemon: a clear TLS error`, async () => {
      // 20.10's TLS server (an older Go) answers an expired client certificate with the generic bad_certificate alert;
      // newer engines' Go sends certificate_expired. Either way the message names the client's certificate and its dates.
      const expired = engine === '20.10' ? /bad certificate|did not accept/ : /certificate expired|did not accept/;
      for (const [certs, why] of [
        [e.tls.expiredClient, expired],
        [e.tls.foreignClient, /unknown ca|bad certificate|certificate required|did not accept/],
      ] as const) {
        const api = await createEngineApi(new LocalHost({}), e.tcp(certs), 10_000, { reads });
        try {
          await rejectsWith(api.ping(), (err) => {
            assert.equal(err.statusCode, undefined);
            assert.match(
              err.message,
              /^TLS to tcp:\/\/127\.0\.0\.1:\d+ failed: (the daemon refused this client's certificate \(.*\)|the daemon closed the connection before answering: it did not accept this client's certificate.*): check the CA, certificate and key/,
            );
            assert.match(err.message, why);
          });
        } finally {
          api.close();
        }
      }
    });
  }

  test('TLS asked for, plain HTTP listening: a TLS error, and no request line ever reaches the listener', async () => {
    const port = await freePort();
    const seen: Buffer[] = [];
    const net = await import('node:net');
    const server = net.createServer((s) => {
      s.on('data', (d: Buffer) => seen.push(d));
      s.on('error', () => undefined);
      s.end('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n');
    });
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    try {
      for (const reads of ['http1-reads', 'dockerode'] as const) {
        const api = await createEngineApi(
          new LocalHost({}),
          endpointOf(`tcp://127.0.0.1:${port}`, 'tcp', { verify: true, certPath: e.tls.client.dir }),
          10_000,
          { reads },
        );
        try {
          await rejectsWith(api.ping(), (err) => assert.match(err.message, /^TLS to /));
        } finally {
          api.close();
        }
      }
    } finally {
      server.close();
    }
    assert.ok(seen.length > 0 && seen.every((d) => d[0] === 0x16), 'only TLS handshakes were sent');
    assert.ok(!Buffer.concat(seen).includes('GET /'), 'never a request in the clear');
  });

  test('ssh: a host key that is not the known one is refused by ssh, and nothing is asked', async () => {
    const other = await startTestSshd(e.daemon.host);
    try {
      // The first server's known_hosts, pointed at the second server's port: the key differs.
      const api = await createEngineApi(e.host, endpointOf(`ssh://root@127.0.0.1:${other.port}`, 'ssh'), 20_000);
      try {
        await rejectsWith(api.ping(), (err) =>
          assert.match(err.message, /over ssh: ssh exited .*(Host key verification failed|No .* host key is known)/i),
        );
      } finally {
        api.close();
      }
    } finally {
      await other.stop();
    }
  });

  // A broken Engine behind each endpoint kind.
  let bad: HostileEngine;
  let badSshd: TestSshd;
  const badApis: EngineApi[] = [];
  const badApi = new Map<string, EngineApi>();
  test('a broken Engine starts behind a unix socket, TLS and ssh', async () => {
    bad = await startHostileEngine(e.tls.server, await freePort());
    badSshd = await startTestSshd(bad.host);
    const sshHost = new LocalHost(badSshd.clientEnv());
    for (const reads of ['http1-reads', 'dockerode'] as const) {
      badApi.set(`unix ${reads}`, await createEngineApi(e.host, endpointOf(bad.host, 'unix'), 20_000, { reads }));
      badApi.set(
        `tls ${reads}`,
        await createEngineApi(e.host, endpointOf(bad.tcpHost!, 'tcp', { verify: true, certPath: e.tls.client.dir }), 20_000, { reads }),
      );
    }
    badApi.set('ssh dockerode', await createEngineApi(sshHost, endpointOf(badSshd.host, 'ssh'), 20_000));
    badApis.push(...badApi.values());
  });
  for (const key of ['unix http1-reads', 'unix dockerode', 'tls http1-reads', 'tls dockerode', 'ssh dockerode']) {
    misbehaviour(
      test,
      `broken Engine, ${key}`,
      () => badApi.get(key)!,
      () => bad,
      key.startsWith('ssh') ? 4 : 8,
    );
  }
  after(async () => {
    for (const api of badApis) api.close();
    await badSshd?.stop();
    await bad?.stop();
  });
});
