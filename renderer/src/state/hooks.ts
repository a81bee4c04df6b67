import { createContext, useContext, useEffect, useState } from 'react';
import type { Screen } from '../../../shared/api';
import { hrefFor, parseHash, type Route } from '../lib/route';
import { type AppState, type AppStore, useAppState } from './store';

export const StoreContext = createContext<AppStore | null>(null);

export function useStore(): AppStore {
  const store = useContext(StoreContext);
  if (!store) throw new Error('useStore outside StoreContext');
  return store;
}

export function useApp<T>(select: (state: AppState) => T): T {
  return useAppState(useStore(), select);
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseHash(window.location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseHash(window.location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}

export function navigate(screen: Screen, params?: Record<string, string>): void {
  window.location.hash = hrefFor(screen, params);
}

/** Follows the OS's light/dark preference unless the settings choose one. */
export function useTheme(theme: 'system' | 'light' | 'dark' | undefined): void {
  useEffect(() => {
    const root = document.documentElement;
    if (!theme || theme === 'system') delete root.dataset.theme;
    else root.dataset.theme = theme;
  }, [theme]);
}
