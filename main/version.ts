// Injected by the build (esbuild define); under tsx in development and tests it falls back to the package version.
declare const __DOCKHAND_VERSION__: string | undefined;
export const VERSION: string = typeof __DOCKHAND_VERSION__ === 'string' ? __DOCKHAND_VERSION__ : '0.1.0-dev';
