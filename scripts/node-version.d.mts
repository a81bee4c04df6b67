// Types for node-version.mjs.
export declare const REQUIRED: string;
export declare const REQUIRED_MAJOR: number;
/** Whether a Node version ("22.12.0" or "v22.12.0") is at least package.json's engines.node. */
export declare function enough(version?: string): boolean;
export declare function notEnough(version?: string): string;
