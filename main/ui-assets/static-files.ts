import { promises as fs } from 'node:fs';
import path from 'node:path';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

export function contentType(file: string): string {
  return CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * The file under `root` a URL path names, or null when it names nothing there: percent-decoding that fails, NUL
 * bytes, backslashes, dot segments (encoded or not) and anything that resolves outside the root are all refused before
 * the filesystem is touched. "/" is the app's index.html.
 */
export function resolveStaticPath(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (!decoded.startsWith('/') || decoded.includes('\0') || decoded.includes('\\')) return null;
  const segments = decoded.split('/').slice(1);
  if (segments.some((s) => s === '..' || s === '.')) return null;
  const relative = decoded === '/' ? 'index.html' : segments.join('/');
  const full = path.resolve(root, relative);
  const fromRoot = path.relative(path.resolve(root), full);
  if (fromRoot === '' || fromRoot.startsWith('..') || path.isAbsolute(fromRoot)) return null;
  return full;
}

/**
 * Reads a static file named by a URL path; null when it does not exist, is not a regular file, or is a symlink that
 * leads out of the root (checked on the real path, after the lexical check above).
 */
export async function readStaticFile(root: string, urlPath: string): Promise<{ file: string; body: Buffer } | null> {
  const file = resolveStaticPath(root, urlPath);
  if (!file) return null;
  try {
    const [realRoot, realFile] = await Promise.all([fs.realpath(root), fs.realpath(file)]);
    const fromRoot = path.relative(realRoot, realFile);
    if (fromRoot.startsWith('..') || path.isAbsolute(fromRoot)) return null;
    const stat = await fs.stat(realFile);
    if (!stat.isFile()) return null;
    return { file: realFile, body: await fs.readFile(realFile) };
  } catch {
    return null;
  }
}
