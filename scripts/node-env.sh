# Sourced from the repository's root (`. scripts/node-env.sh`): puts a Node.js that package.json's engines accepts first
# on PATH. When this machine's is older, the newest release of that major comes from the npm registry's
# node-linux-<arch> package (Node's own binaries), kept under /opt/dockhand-node/MAJOR (root) or the user's cache, and a
# second run reuses it. The README's two commands and .ci/run start with it; scripts/node-version.mjs reads the version.
dockhand_node_env() {
  if node scripts/node-version.mjs 2>/dev/null; then return 0; fi
  major=$(node scripts/node-version.mjs major) || return 1
  case "$(uname -m)" in x86_64) arch=x64 ;; aarch64) arch=arm64 ;; *) arch=$(uname -m) ;; esac
  if [ "$(id -u)" -eq 0 ]; then prefix="/opt/dockhand-node/$major"; else prefix="${XDG_CACHE_HOME:-$HOME/.cache}/dockhand/node/$major"; fi
  nodebin="$prefix/node_modules/node-linux-$arch/bin"
  if ! [ -x "$nodebin/node" ] || ! "$nodebin/node" scripts/node-version.mjs 2>/dev/null; then
    npm install --prefix "$prefix" --no-save --no-package-lock --no-audit --no-fund "node-linux-$arch@$major" || return 1
  fi
  PATH="$nodebin:$PATH"
  export PATH
  node scripts/node-version.mjs
}
dockhand_node_env
