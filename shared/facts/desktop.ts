import { z } from 'zod';

/** Docker Desktop's settings file (settings-store.json, or settings.json before 4.35), reduced to what checks read. */
export const DesktopFactSchema = z.object({
  settingsPath: z.string(),
  version: z.string().nullable(),
  wslEngineEnabled: z.boolean().nullable(),
  fileSharingImplementation: z.string().nullable(),
  cpus: z.number().nullable(),
  memoryMiB: z.number().nullable(),
  swapMiB: z.number().nullable(),
  diskSizeMiB: z.number().nullable(),
  /** Proxy mode and URLs (credentials masked). */
  proxy: z.object({
    mode: z.string().nullable(),
    http: z.string().nullable(),
    https: z.string().nullable(),
    exclude: z.string().nullable(),
  }),
  /** The VM disk image and its size on the host, when found. */
  diskImage: z.object({ path: z.string(), bytes: z.number() }).nullable(),
  /** The host's CPU count and memory, to compare limits with. */
  hostCpus: z.number().nullable(),
  hostMemoryMiB: z.number().nullable(),
});
export type DesktopFact = z.infer<typeof DesktopFactSchema>;

export const WslDistroSchema = z.object({ name: z.string(), state: z.string(), version: z.number().int(), isDefault: z.boolean() });
/** WSL 2 on Windows: `wsl.exe -l -v`, `wsl.exe --status` (both UTF-16LE) and %USERPROFILE%\.wslconfig. */
export const WslFactSchema = z.object({
  distros: z.array(WslDistroSchema),
  defaultVersion: z.number().int().nullable(),
  wslconfig: z
    .object({
      path: z.string(),
      memory: z.string().nullable(),
      processors: z.number().nullable(),
      swap: z.string().nullable(),
      sparseVhd: z.boolean().nullable(),
    })
    .nullable(),
});
export type WslFact = z.infer<typeof WslFactSchema>;
