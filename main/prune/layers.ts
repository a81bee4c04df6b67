import { createHash } from 'node:crypto';

/**
 * Per-layer sizes of images, and what removing a set of images frees.
 *
 * The Engine stores a layer once per ChainID (the digest of the layer's diff on top of its parents), and /system/df's
 * image Size is the sum of its layers' DiffSize. It does not say which image holds which layer, so sharing is worked
 * out here: GET /images/{id}/json gives RootFS.Layers (DiffIDs, bottom first), GET /images/{id}/history gives each
 * history step's Size, which for a step that made a layer is exactly that layer's DiffSize (moby's
 * daemon/images/image_history.go). Steps that made no layer (ENV, LABEL, CMD...) have Size 0 and no layer, so the
 * history has to be aligned to the layers: that is the only inexact part, and it is reported when it is.
 */

export interface HistoryStep {
  size: number;
  createdBy: string;
  comment: string;
}

export interface AlignedLayers {
  /** ChainIDs, bottom layer first. */
  chain: string[];
  /** DiffSize of each layer in `chain`. */
  sizes: number[];
  /** Bytes whose layer could not be told for sure (a history the alignment could not settle); 0 when exact. */
  ambiguousBytes: number;
}

/** ChainID(L0) = DiffID(L0); ChainID(Ln) = sha256(ChainID(Ln-1) + " " + DiffID(Ln)) (the image spec's definition). */
export function chainIds(diffIds: readonly string[]): string[] {
  const out: string[] = [];
  for (const diff of diffIds) {
    const previous = out[out.length - 1];
    out.push(previous === undefined ? diff : `sha256:${createHash('sha256').update(`${previous} ${diff}`).digest('hex')}`);
  }
  return out;
}

/**
 * Dockerfile instructions that only change the image config: both builders record them as history without a layer
 * (classic builder: "/bin/sh -c #(nop)  ENV ...", BuildKit: "ENV ..."). WORKDIR, COPY, ADD and RUN may make a layer
 * even of size 0 (a new directory has no bytes), so they are never assumed empty.
 */
const CONFIG_ONLY =
  /^(?:\/bin\/sh -c #\(nop\)\s+)?(?:ENV|CMD|LABEL|EXPOSE|ENTRYPOINT|USER|VOLUME|STOPSIGNAL|HEALTHCHECK|SHELL|ARG|ONBUILD|MAINTAINER)\b/;

function isConfigOnlyStep(step: HistoryStep): boolean {
  return step.size === 0 && CONFIG_ONLY.test(step.createdBy.trim());
}

/**
 * Sizes of `layerCount` layers from history steps (oldest first). Steps with bytes certainly made a layer; among the
 * zero-byte steps, config-only instructions certainly did not. When the remaining zero-byte steps are more than the
 * layers left to place, which of them made a layer is unknown: the bytes of later steps might belong one layer up or
 * down, and are reported as ambiguous (the layer set of the image is right either way; only sharing can differ).
 */
export function alignHistory(steps: readonly HistoryStep[], layerCount: number): { sizes: number[]; ambiguousBytes: number } {
  if (layerCount === 0) return { sizes: [], ambiguousBytes: 0 };
  const total = steps.reduce((a, s) => a + s.size, 0);
  const positive = steps.filter((s) => s.size > 0).length;
  if (positive > layerCount) {
    // More sized steps than layers: not a history this engine wrote. Put every byte on the top layer, all of it unsure.
    return { sizes: [...Array<number>(layerCount - 1).fill(0), total], ambiguousBytes: total };
  }
  if (steps.length === layerCount) return { sizes: steps.map((s) => s.size), ambiguousBytes: 0 };
  const zeroLayersNeeded = layerCount - positive;
  const candidates = steps.map((s, i) => (s.size === 0 && !isConfigOnlyStep(s) ? i : -1)).filter((i) => i >= 0);
  const allZero = steps.map((s, i) => (s.size === 0 ? i : -1)).filter((i) => i >= 0);
  // Enough candidates: take the first ones; too few (an unknown config-only spelling): fall back to every zero step.
  const pool = candidates.length >= zeroLayersNeeded ? candidates : allZero;
  const chosen = new Set(pool.slice(0, zeroLayersNeeded));
  const sizes: number[] = [];
  steps.forEach((s, i) => {
    if (s.size > 0 || chosen.has(i)) sizes.push(s.size);
  });
  while (sizes.length < layerCount) sizes.push(0);
  let ambiguousBytes = 0;
  if (pool.length > zeroLayersNeeded && zeroLayersNeeded > 0) {
    // Any sized step after the first undecided zero step could sit one layer off.
    const firstUndecided = pool[0]!;
    ambiguousBytes = steps.slice(firstUndecided + 1).reduce((a, s) => a + s.size, 0);
  }
  return { sizes: sizes.slice(0, layerCount), ambiguousBytes };
}

export interface ImageLayersInput {
  id: string;
  diffIds: string[];
  /** Oldest first. */
  history: HistoryStep[];
}

/**
 * Aligns every image, reusing the alignment of an image another one is built on: a child's history starts with its
 * base's steps and its layers with the base's layers, so the base's (settled) alignment holds for that part and only
 * the child's own steps need placing. Images are handled shortest chain first so bases come before children.
 */
export function alignImages(images: readonly ImageLayersInput[]): Map<string, AlignedLayers> {
  const out = new Map<string, AlignedLayers>();
  const byTopChain = new Map<string, { aligned: AlignedLayers; history: readonly HistoryStep[] }>();
  const ordered = [...images].sort((a, b) => a.diffIds.length - b.diffIds.length || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (const image of ordered) {
    const chain = chainIds(image.diffIds);
    let base: { aligned: AlignedLayers; history: readonly HistoryStep[] } | undefined;
    for (let depth = chain.length; depth > 0 && !base; depth--) {
      const candidate = byTopChain.get(chain[depth - 1]!);
      if (candidate && candidate.aligned.chain.length === depth && startsWith(image.history, candidate.history)) base = candidate;
    }
    let aligned: AlignedLayers;
    if (base) {
      const rest = alignHistory(image.history.slice(base.history.length), chain.length - base.aligned.chain.length);
      aligned = { chain, sizes: [...base.aligned.sizes, ...rest.sizes], ambiguousBytes: base.aligned.ambiguousBytes + rest.ambiguousBytes };
    } else {
      const own = alignHistory(image.history, chain.length);
      aligned = { chain, ...own };
    }
    out.set(image.id, aligned);
    const top = chain[chain.length - 1];
    if (top !== undefined && !byTopChain.has(top)) byTopChain.set(top, { aligned, history: image.history });
  }
  return out;
}

function startsWith(history: readonly HistoryStep[], prefix: readonly HistoryStep[]): boolean {
  if (prefix.length > history.length) return false;
  return prefix.every((step, i) => step.size === history[i]!.size && step.createdBy === history[i]!.createdBy);
}

/** Which images use each layer, and its size. */
export interface LayerIndex {
  sizes: Map<string, number>;
  users: Map<string, string[]>;
}

export function indexLayers(aligned: ReadonlyMap<string, AlignedLayers>): LayerIndex {
  const sizes = new Map<string, number>();
  const users = new Map<string, string[]>();
  for (const [imageId, layers] of aligned) {
    layers.chain.forEach((chainId, i) => {
      if (!sizes.has(chainId)) sizes.set(chainId, layers.sizes[i] ?? 0);
      const list = users.get(chainId);
      if (list) list.push(imageId);
      else users.set(chainId, [imageId]);
    });
  }
  return { sizes, users };
}

/**
 * Bytes each image's removal frees when `removed` go in this order and every other image stays: a layer is freed by
 * the removal of the last image using it, and never while a kept image uses it. The sum is what removing the set frees.
 */
export function attributeFreedBytes(
  index: LayerIndex,
  aligned: ReadonlyMap<string, AlignedLayers>,
  removed: readonly string[],
): Map<string, number> {
  const removing = new Set(removed);
  const remaining = new Map<string, number>();
  for (const [chainId, users] of index.users) {
    // A layer used by any kept image is never freed: count it as unreachable.
    remaining.set(chainId, users.some((u) => !removing.has(u)) ? Number.POSITIVE_INFINITY : users.length);
  }
  const freed = new Map<string, number>();
  for (const imageId of removed) {
    let bytes = 0;
    for (const chainId of new Set(aligned.get(imageId)?.chain ?? [])) {
      const left = (remaining.get(chainId) ?? 1) - 1;
      remaining.set(chainId, left);
      if (left === 0) bytes += index.sizes.get(chainId) ?? 0;
    }
    freed.set(imageId, bytes);
  }
  return freed;
}
