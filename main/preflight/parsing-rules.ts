import { compareMinor } from './engine-version';

/**
 * How dockerd reads the bytes of daemon.json before any option is looked at. 20.10 streams the file through a JSON
 * decoder; 23.0 and later transcode it, trim it and unmarshal it whole. Learned from moby's config loading
 * (docs/preflight-rules.md §a) and confirmed against a real dockerd 20.10 by the oracle test.
 */
export interface ParsingRules {
  /** A UTF-8 byte-order mark at the start is skipped. */
  stripsBom: boolean;
  /** A UTF-16 file with a byte-order mark is transcoded. */
  readsUtf16: boolean;
  /** Bytes that are not UTF-8 are refused (20.10 replaces them instead). */
  refusesInvalidUtf8: boolean;
  /** An empty or whitespace-only file counts as "no options". */
  acceptsEmpty: boolean;
  /** Anything after the top-level object is ignored (20.10's streaming decoder stops after one value). */
  ignoresTrailingData: boolean;
}

export function parsingRules(version: string): ParsingRules {
  const modern = compareMinor(version, '23.0') >= 0;
  return { stripsBom: modern, readsUtf16: modern, refusesInvalidUtf8: modern, acceptsEmpty: modern, ignoresTrailingData: !modern };
}
