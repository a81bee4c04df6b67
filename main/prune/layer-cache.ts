import type { HistoryStep } from './layers';

/** What one image's inspect and history say about its layers: the inputs of layer alignment. */
export interface ImageLayerInput {
  diffIds: string[];
  history: HistoryStep[];
}

/**
 * Images' layer inputs by image id, kept between snapshots (the app measures the disk picture after every audit and
 * prune). An image id is the digest of the image's configuration, which holds its layers' diff ids and its history:
 * the same id always has the same answer, so only images new since the last snapshot are asked again and the cost of
 * a picture follows what changed, not the number of images. Images gone from the daemon are forgotten.
 */
export class ImageLayerCache {
  private readonly byId = new Map<string, ImageLayerInput>();

  get(id: string): ImageLayerInput | undefined {
    return this.byId.get(id);
  }

  set(id: string, input: ImageLayerInput): void {
    this.byId.set(id, input);
  }

  /** Forgets every image not in `ids` (the daemon's images now). */
  keepOnly(ids: Iterable<string>): void {
    const keep = new Set(ids);
    for (const id of this.byId.keys()) if (!keep.has(id)) this.byId.delete(id);
  }

  get size(): number {
    return this.byId.size;
  }
}
