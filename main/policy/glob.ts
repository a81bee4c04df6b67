/**
 * A glob over ids and names: `*` any run of characters, `?` one character, everything else literal. Check ids and
 * container names hold no `/`, so there is no path semantics to honour.
 */
export function globRegExp(pattern: string): RegExp {
  const body = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`);
}

export function isGlob(pattern: string): boolean {
  return /[*?]/.test(pattern);
}
