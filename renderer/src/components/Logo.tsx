/** The Dockhand mark: the app icon itself (build/icon.svg, rendered by npm run icons), so the two never differ. */
export function Logo({ size = 28 }: { size?: number }) {
  return <img src="./icon.png" alt="" width={size} height={size} className="logo" />;
}
