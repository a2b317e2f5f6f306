#!/usr/bin/env bash
# Prints the path of the pinned Node.js binary of another release line than the repository's own (Node 24, the
# root `node` devDependency), fetching it once:
#
#   bash tools/node-line.sh 22        # -> ~/.cache/otelkit/node/22.15.0/bin/node
#
# The version of each line is pinned in tools/versions.env (NODE<major>_VERSION). The binary comes from the npm
# registry's node-linux-<arch> package of that version (what the `node` package's install step fetches for the
# repository's own Node), through `npm pack`, which checks the tarball against the registry's integrity hash. It is
# cached outside the clone, keyed by version (OTELKIT_NODE_CACHE, default ${XDG_CACHE_HOME:-~/.cache}/otelkit/node),
# so fresh clones on the same machine, as CI makes, reuse it. Messages go to stderr, the path alone to stdout.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
# shellcheck source=versions.env source-path=SCRIPTDIR disable=SC1091
source "$root/tools/versions.env"

line="${1:-}"
if ! [[ "$line" =~ ^[0-9]+$ ]]; then
  echo "usage: tools/node-line.sh <major>   (e.g. 22)" >&2
  exit 2
fi
pin="NODE${line}_VERSION"
version="${!pin:-}"
if [ -z "$version" ]; then
  echo "node-line: no $pin in tools/versions.env" >&2
  exit 2
fi
case "$(uname -m)" in
  x86_64) arch=x64 ;;
  aarch64) arch=arm64 ;;
  *)
    echo "node-line: no node-linux package for $(uname -m)" >&2
    exit 1
    ;;
esac

cache="${OTELKIT_NODE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/otelkit/node}"
node="$cache/$version/bin/node"
if [ -x "$node" ] && [ "$("$node" --version)" = "v$version" ]; then
  printf '%s\n' "$node"
  exit 0
fi

echo "node-line: fetching node-linux-$arch@$version from the npm registry into $cache/$version" >&2
mkdir -p "$cache"
tmp="$(mktemp -d "$cache/.fetch-XXXXXX")" # on the cache's filesystem, so the final move is atomic
trap 'rm -rf "$tmp"' EXIT
npm pack --silent --pack-destination "$tmp" "node-linux-$arch@$version" >/dev/null
tar -xzf "$tmp"/node-linux-"$arch"-"$version".tgz -C "$tmp"
fetched="$tmp/package/bin/node"
if [ "$("$fetched" --version)" != "v$version" ]; then
  echo "node-line: node-linux-$arch@$version holds $("$fetched" --version)" >&2
  exit 1
fi
mkdir -p "$cache/$version/bin"
mv -f "$fetched" "$node" # atomic: a concurrent run sees the old state or the whole binary
printf '%s\n' "$node"
