/**
 * The contract's schemas (contract.ts), loaded apart from the UI's own code: building them is tens of milliseconds of
 * one task, which the page would otherwise spend before it can paint anything. One module, asked for once.
 */
let contractModule: Promise<typeof import('./contract')> | null = null;
export const loadContract = (): Promise<typeof import('./contract')> => (contractModule ??= import('./contract'));
