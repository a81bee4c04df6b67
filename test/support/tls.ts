// Mutual-TLS material for a test dockerd on 127.0.0.1, made with openssl in the test: a CA, a server certificate for
// 127.0.0.1, a client certificate, and the two that must fail: a client signed by another CA and a client certificate
// that expired (issued with past dates through `openssl ca`, which 3.0's `x509` cannot do).
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A DOCKER_CERT_PATH-style directory: ca.pem, cert.pem, key.pem. */
export interface CertDir {
  readonly dir: string;
  readonly ca: string;
  readonly cert: string;
  readonly key: string;
}

export interface TlsMaterial {
  readonly root: string;
  /** The daemon's: --tlscacert, --tlscert, --tlskey. */
  readonly server: CertDir;
  /** A client the daemon trusts. */
  readonly client: CertDir;
  /** A client certificate and key from a CA the daemon does not know (the CA it trusts is still the right one). */
  readonly foreignClient: CertDir;
  /** The right client key, but a ca.pem of another CA: the daemon's certificate does not verify. */
  readonly wrongCa: CertDir;
  /** A client certificate of the right CA whose validity ended in 2021. */
  readonly expiredClient: CertDir;
  remove(): Promise<void>;
}

const openssl = (args: string[], cwd: string) => run('openssl', args, { cwd });

async function key(file: string, cwd: string): Promise<void> {
  await openssl(['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', file], cwd);
}

async function selfSignedCa(name: string, cwd: string): Promise<{ cert: string; key: string }> {
  await key(`${name}-key.pem`, cwd);
  await openssl(
    [
      'req',
      '-x509',
      '-new',
      '-key',
      `${name}-key.pem`,
      '-out',
      `${name}.pem`,
      '-days',
      '2',
      '-subj',
      `/CN=${name}`,
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    ],
    cwd,
  );
  return { cert: path.join(cwd, `${name}.pem`), key: path.join(cwd, `${name}-key.pem`) };
}

async function signed(name: string, ca: { cert: string; key: string }, ext: string, cwd: string): Promise<{ cert: string; key: string }> {
  await key(`${name}-key.pem`, cwd);
  await openssl(['req', '-new', '-key', `${name}-key.pem`, '-out', `${name}.csr`, '-subj', `/CN=${name}`], cwd);
  await fs.writeFile(path.join(cwd, `${name}.ext`), ext);
  await openssl(
    [
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      ca.cert,
      '-CAkey',
      ca.key,
      '-CAcreateserial',
      '-out',
      `${name}.pem`,
      '-days',
      '2',
      '-extfile',
      `${name}.ext`,
    ],
    cwd,
  );
  return { cert: path.join(cwd, `${name}.pem`), key: path.join(cwd, `${name}-key.pem`) };
}

/** A client certificate valid from 2020-01-01 to 2021-01-01, through a throw-away `openssl ca` database. */
async function expired(name: string, ca: { cert: string; key: string }, cwd: string): Promise<{ cert: string; key: string }> {
  await key(`${name}-key.pem`, cwd);
  await openssl(['req', '-new', '-key', `${name}-key.pem`, '-out', `${name}.csr`, '-subj', `/CN=${name}`], cwd);
  const db = path.join(cwd, 'ca-db');
  await fs.mkdir(path.join(db, 'new'), { recursive: true });
  await fs.writeFile(path.join(db, 'index.txt'), '');
  await fs.writeFile(path.join(db, 'serial'), '1000\n');
  const config = path.join(db, 'ca.cnf');
  await fs.writeFile(
    config,
    [
      '[ca]',
      'default_ca = test',
      '[test]',
      `database = ${db}/index.txt`,
      `serial = ${db}/serial`,
      `new_certs_dir = ${db}/new`,
      'default_md = sha256',
      'policy = any',
      'x509_extensions = client',
      'unique_subject = no',
      '[any]',
      'commonName = supplied',
      '[client]',
      'extendedKeyUsage = clientAuth',
      '',
    ].join('\n'),
  );
  await openssl(
    [
      'ca',
      '-batch',
      '-config',
      config,
      '-cert',
      ca.cert,
      '-keyfile',
      ca.key,
      '-in',
      `${name}.csr`,
      '-out',
      `${name}.pem`,
      '-startdate',
      '20200101000000Z',
      '-enddate',
      '20210101000000Z',
      '-notext',
    ],
    cwd,
  );
  return { cert: path.join(cwd, `${name}.pem`), key: path.join(cwd, `${name}-key.pem`) };
}

async function certDir(root: string, name: string, ca: string, pair: { cert: string; key: string }): Promise<CertDir> {
  const dir = path.join(root, name);
  await fs.mkdir(dir, { recursive: true });
  const files = { ca: path.join(dir, 'ca.pem'), cert: path.join(dir, 'cert.pem'), key: path.join(dir, 'key.pem') };
  await fs.copyFile(ca, files.ca);
  await fs.copyFile(pair.cert, files.cert);
  await fs.copyFile(pair.key, files.key);
  return { dir, ...files };
}

export async function makeTlsMaterial(): Promise<TlsMaterial> {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'dkh-tls-'));
  const work = path.join(root, 'work');
  await fs.mkdir(work);
  const ca = await selfSignedCa('dockhand-test-ca', work);
  const other = await selfSignedCa('dockhand-other-ca', work);
  const server = await signed('server', ca, 'subjectAltName = IP:127.0.0.1, DNS:localhost\nextendedKeyUsage = serverAuth\n', work);
  const client = await signed('client', ca, 'extendedKeyUsage = clientAuth\n', work);
  const foreign = await signed('foreign-client', other, 'extendedKeyUsage = clientAuth\n', work);
  const old = await expired('expired-client', ca, work);
  return {
    root,
    server: await certDir(root, 'server', ca.cert, server),
    client: await certDir(root, 'client', ca.cert, client),
    foreignClient: await certDir(root, 'foreign-client', ca.cert, foreign),
    wrongCa: await certDir(root, 'wrong-ca', other.cert, client),
    expiredClient: await certDir(root, 'expired-client', ca.cert, old),
    remove: () => fs.rm(root, { recursive: true, force: true }),
  };
}
