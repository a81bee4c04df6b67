import { promises as fs } from 'node:fs';
import { DEFAULT_SETTINGS, type Settings, SettingsSchema, type SettingsPatch } from '../../shared/api';
import { SerialQueue } from '../util/serial-queue';
import { writeJsonFile } from '../util/write-file';
import { ApiError } from './errors';

/**
 * Reads what it can of a saved settings object: each field that fails its schema falls back to its default, so one
 * bad hand edit (or a field from a newer version) does not throw away the rest.
 */
export function settingsFromJson(raw: unknown): Settings {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return structuredClone(DEFAULT_SETTINGS);
  const out: Record<string, unknown> = {};
  const shape = SettingsSchema.shape;
  for (const key of Object.keys(shape) as (keyof Settings)[]) {
    const parsed = shape[key].safeParse((raw as Record<string, unknown>)[key]);
    out[key] = parsed.success ? parsed.data : structuredClone(DEFAULT_SETTINGS[key]);
  }
  return out as Settings;
}

/** The user's settings in one JSON file, written atomically; writes are serialised so the last one wins on disk. */
export class SettingsStore {
  private cached: Settings | null = null;
  private readonly queue = new SerialQueue();

  constructor(readonly file: string) {}

  async get(): Promise<Settings> {
    this.cached ??= await this.load();
    return structuredClone(this.cached);
  }

  set(patch: SettingsPatch): Promise<Settings> {
    return this.queue.run(async () => {
      const next = SettingsSchema.parse({ ...(await this.get()), ...patch });
      try {
        await writeJsonFile(this.file, next);
      } catch (error) {
        throw new ApiError('failed', `Settings were not saved: ${(error as Error).message}`, { cause: error });
      }
      this.cached = next;
      return structuredClone(next);
    });
  }

  private async load(): Promise<Settings> {
    let text: string;
    try {
      text = await fs.readFile(this.file, 'utf8');
    } catch (error) {
      if (['ENOENT', 'ENOTDIR'].includes((error as NodeJS.ErrnoException).code ?? '')) return structuredClone(DEFAULT_SETTINGS);
      throw new ApiError('failed', `Cannot read the settings file ${this.file}: ${(error as Error).message}`, { cause: error });
    }
    try {
      return settingsFromJson(JSON.parse(text));
    } catch {
      // Not JSON at all: keep the file for the user to look at, start from the defaults.
      await fs.rename(this.file, `${this.file}.corrupt`).catch(() => undefined);
      return structuredClone(DEFAULT_SETTINGS);
    }
  }
}
