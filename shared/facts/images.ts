import { z } from 'zod';
import { EnvSecretsSchema } from './secrets';

/** One image, from GET /images/json plus one GET /images/{id}/json per image (bounded concurrency). */
export const ImageFactSchema = z.object({
  id: z.string(),
  repoTags: z.array(z.string()),
  repoDigests: z.array(z.string()),
  created: z.string(),
  size: z.number(),
  /** Config.User; "" means root. */
  user: z.string(),
  /** Config.Healthcheck.Test present and not ["NONE"]. */
  hasHealthcheck: z.boolean(),
  labels: z.record(z.string(), z.string()),
  /** Config.Env (the image's ENV) entries that look like credentials, masked; absent in older snapshots. */
  envSecrets: EnvSecretsSchema.optional(),
  /**
   * The platform the image was built for (Os, Architecture, Variant, e.g. linux/arm64/v8); "" when it does not say, or
   * in older snapshots.
   */
  os: z.string().default(''),
  architecture: z.string().default(''),
  variant: z.string().default(''),
});
export type ImageFact = z.infer<typeof ImageFactSchema>;
