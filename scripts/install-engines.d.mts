// Types for install-engines.mjs, which the tests' dockerd harness imports.
export declare const ENGINES_DIR: string;
export declare const UNPACKED: Record<string, string>;
export declare function unpackedEngine(name: string): string | null;
/** Engine name ('20.10', '26.1', '28.5') -> absolute path of its dockerd; installs the missing ones (as root). */
export declare function installEngines(): Record<string, string>;
