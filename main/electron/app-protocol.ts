import { contentSecurityPolicy, SECURITY_HEADERS } from '../ui-assets/csp';
import { contentType, readStaticFile } from '../ui-assets/static-files';
import { APP_HOST } from './policy';

/**
 * Answers an app://dockhand/… request from the built renderer, with the app's CSP on every response. A custom
 * scheme rather than file:// gives the page a real origin (the IPC sender check needs one) and no access to the
 * filesystem; the same path checks as dockhand serve keep it inside the renderer directory.
 */
export async function appProtocolResponse(rendererDir: string, requestUrl: string): Promise<Response> {
  const url = new URL(requestUrl);
  const found = url.host === APP_HOST ? await readStaticFile(rendererDir, url.pathname) : null;
  if (!found) return new Response('Not found', { status: 404, headers: { 'Content-Type': 'text/plain', ...SECURITY_HEADERS } });
  return new Response(new Uint8Array(found.body), {
    status: 200,
    headers: { 'Content-Type': contentType(found.file), 'Content-Security-Policy': contentSecurityPolicy(), ...SECURITY_HEADERS },
  });
}
