import { createApi } from '../api/index';
import { cliSelf } from '../util/self-command';
import { LocalHost } from '../host/local-host';
import { CliError, EXIT } from './exit-codes';
import { openBrowser } from '../serve/open-browser';
import { findRendererDir } from '../serve/renderer-dir';
import { startServer } from '../serve/server';

export interface ServeCommandOptions {
  host?: string;
  context?: string;
  port: number;
  open: boolean;
  configDir?: string;
  rendererDir?: string;
}

/** `dockhand serve`: runs until SIGINT/SIGTERM, then closes connections and exits 0. */
export async function serveCommand(opts: ServeCommandOptions): Promise<void> {
  const rendererDir = opts.rendererDir ?? findRendererDir(import.meta.dirname ?? process.cwd());
  if (!rendererDir) throw new CliError('the UI is not built: run `npm run build` in the Dockhand checkout first', EXIT.usage);
  const api = createApi({
    transport: 'serve',
    host: new LocalHost(),
    configDir: opts.configDir,
    endpointOverride: opts.host || opts.context ? { host: opts.host ?? null, context: opts.context ?? null } : null,
    log: (m) => process.stderr.write(`dockhand serve: ${m}\n`),
    self: cliSelf(),
  });
  let server;
  try {
    server = await startServer({ api, rendererDir, port: opts.port, log: (m) => process.stderr.write(`dockhand serve: ${m}\n`) });
  } catch (error) {
    throw new CliError(`cannot listen on 127.0.0.1:${opts.port}: ${(error as Error).message}`, EXIT.usage);
  }
  process.stdout.write(
    `Dockhand is running at ${server.url}\n` +
      `Open that link (it holds this session's token). Only this machine can connect: from another machine, tunnel the same port, e.g.\n` +
      `  ssh -L ${server.port}:127.0.0.1:${server.port} <this-host>   then open the link there. Ctrl+C stops the server.\n`,
  );
  if (opts.open && !(await openBrowser(server.url))) process.stdout.write('(No browser could be opened here; use the link above.)\n');
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await server.close();
}
