import type { Screen } from '../../../shared/api';

export interface Route {
  screen: Screen;
  params: URLSearchParams;
}

const SCREENS: readonly Screen[] = ['overview', 'findings', 'history', 'disk', 'settings'];

/** "#/findings?severity=high" → { screen: 'findings', params }. The hash keeps the screen across a reload. */
export function parseHash(hash: string): Route {
  const [path = '', query = ''] = hash.replace(/^#\/?/, '').split('?');
  const screen = (SCREENS as readonly string[]).includes(path) ? (path as Screen) : 'overview';
  return { screen, params: new URLSearchParams(query) };
}

export function hrefFor(screen: Screen, params?: Record<string, string>): string {
  const query = params ? new URLSearchParams(params).toString() : '';
  return `#/${screen}${query ? `?${query}` : ''}`;
}
