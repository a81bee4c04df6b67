/**
 * A glob over ids and names: `*` any run of characters, `?` one character, everything else literal. Check ids and
 * container names hold no `/`, so there is no path semantics to honour.
 *
 * Matched with the iterative two-pointer wildcard walk instead of a regular expression: a regex like `^.*a.*a.*b$`
 * backtracks exponentially on a long name, and both the pattern (a policy) and the name (a container) are user input.
 * On a mismatch the walk only ever returns to the most recent `*`, so it takes at most
 * (name length + 1) × (pattern length + 1) steps, and usually about name length.
 */
export interface Glob {
  test(text: string): boolean;
}

/** `onStep` (tests only) is called once per step of the walk, so a test can bound the work without timing it. */
export function globMatcher(pattern: string, onStep?: () => void): Glob {
  // Code points, not UTF-16 units: `?` stands for one character, also outside the BMP.
  const pat = Array.from(pattern);
  return { test: (text) => wildcardMatch(pat, Array.from(text), onStep) };
}

function wildcardMatch(pat: readonly string[], txt: readonly string[], onStep?: () => void): boolean {
  let p = 0;
  let t = 0;
  let star = -1; // the pattern index of the last `*` seen
  let resume = 0; // the text index that `*` is currently taken to end before
  while (t < txt.length) {
    onStep?.();
    if (p < pat.length && pat[p] === '*') {
      star = p++;
      resume = t;
    } else if (p < pat.length && (pat[p] === '?' || pat[p] === txt[t])) {
      p++;
      t++;
    } else if (star !== -1) {
      // Let the last `*` swallow one more character and retry what follows it; earlier stars never need revisiting.
      p = star + 1;
      t = ++resume;
    } else {
      return false;
    }
  }
  while (p < pat.length && pat[p] === '*') p++;
  return p === pat.length;
}

export function isGlob(pattern: string): boolean {
  return /[*?]/.test(pattern);
}
