import type { Fact } from '../../shared/fact';
import type { ImageFact } from '../../shared/facts/images';
import { mapLimit } from '../util/timeout';
import type { CollectContext } from './context';
import { type EngineApi, EngineApiError } from './engine-api';
import { fromApi, INSPECT_CONCURRENCY } from './engine';
import { classifyEnv } from './env-secrets';
import { arr, num, obj, type Raw, str, stringMap, strings } from './raw';

const LIST_CALL = 'GET /images/json';

/**
 * One list call, then one inspect per image: the list lacks Config (USER, HEALTHCHECK). An image removed between the
 * two calls is dropped; any other inspect failure fails the fact, naming the image, rather than hiding it.
 */
export function collectImages(ctx: CollectContext): Promise<Fact<ImageFact[]>> {
  return fromApi(ctx, `${LIST_CALL} + GET /images/{id}/json`, async (api) => {
    const list = arr(await api.get('/images/json')).map(obj);
    const inspected = await mapLimit(list, INSPECT_CONCURRENCY, (summary) => inspectImage(api, summary));
    return inspected.filter((i): i is ImageFact => i !== null);
  });
}

async function inspectImage(api: EngineApi, summary: Raw): Promise<ImageFact | null> {
  const id = str(summary.Id);
  if (!id) throw new EngineApiError('malformed', `${LIST_CALL} on ${api.endpoint.host} listed an image without an Id`);
  try {
    return parseImage(summary, obj(await api.get(`/images/${encodeURIComponent(id)}/json`)));
  } catch (error) {
    if (error instanceof EngineApiError && error.statusCode === 404) return null;
    throw error;
  }
}

/** Merges the list entry (tags, digests) with the inspect payload (Config); inspect wins where both have a field. */
export function parseImage(summary: Raw, inspect: Raw): ImageFact {
  const config = obj(inspect.Config);
  const test = strings(obj(config.Healthcheck).Test);
  const tags = strings(inspect.RepoTags).length > 0 ? strings(inspect.RepoTags) : strings(summary.RepoTags);
  return {
    id: str(inspect.Id) || str(summary.Id),
    repoTags: tags.filter((t) => t !== '<none>:<none>'),
    repoDigests: (strings(inspect.RepoDigests).length > 0 ? strings(inspect.RepoDigests) : strings(summary.RepoDigests)).filter(
      (d) => d !== '<none>@<none>',
    ),
    created: str(inspect.Created) || createdFromSeconds(summary.Created),
    size: num(inspect.Size, num(summary.Size)),
    user: str(config.User),
    // ["NONE"] is what `HEALTHCHECK NONE` stores: it disables an inherited check, so the image has none.
    hasHealthcheck: test.length > 0 && test[0] !== 'NONE',
    labels: Object.keys(stringMap(config.Labels)).length > 0 ? stringMap(config.Labels) : stringMap(summary.Labels),
    envSecrets: classifyEnv(strings(config.Env)),
    os: str(inspect.Os),
    architecture: str(inspect.Architecture),
    variant: str(inspect.Variant),
  };
}

/** The list gives Created in Unix seconds; inspect gives RFC 3339. */
function createdFromSeconds(value: unknown): string {
  const seconds = num(value, -1);
  return seconds >= 0 ? new Date(seconds * 1000).toISOString() : '';
}
