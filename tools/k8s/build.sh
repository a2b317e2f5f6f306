#!/usr/bin/env bash
# Builds a pinned Kubernetes control plane from the Go module proxy into .tools/bin (git-ignored), at the versions of
# tools/k8s/versions.env:
#
#   bash tools/k8s/build.sh
#
#   .tools/bin/kube-apiserver   k8s.io/kubernetes/cmd/kube-apiserver   @KUBERNETES_VERSION
#   .tools/bin/kubectl          k8s.io/kubernetes/cmd/kubectl          @KUBERNETES_VERSION
#   .tools/bin/etcd             go.etcd.io/etcd/server/v3/etcdmain     @ETCD_VERSION (tools/k8s/etcd/main.go)
#
# As in tools/build-go-tools.sh, each .tools/bin/<name> links to <cache>/versions/<name>-<version>/<name>, so a version
# bump builds anew and an unchanged one is skipped. `go install k8s.io/kubernetes/cmd/...@v1.x.y` cannot work:
# k8s.io/kubernetes replaces its staging modules (k8s.io/api, k8s.io/apiserver, ...) with ./staging paths. So this
# builds from a wrapper module of our own (in .tools/build/k8s-<version>/) that requires k8s.io/kubernetes and
# replaces every staging module its go.mod lists with the published KUBERNETES_STAGING_VERSION, and carries its
# `godebug` line. All three binaries come from one `go build` (one build list, shared compilation). Cold on 2 busy
# cores shared with other builds it took 36 minutes (tools/k8s/README.md: measured figures); when fresh it is a no-op.
#
# Environment: OTELKIT_TOOLS_DIR (default <repo>/.tools), OTELKIT_GOPROXY (default https://proxy.golang.org).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
# shellcheck source=versions.env source-path=SCRIPTDIR disable=SC1091
source "$root/tools/k8s/versions.env"
# shellcheck source=../go-module.sh source-path=SCRIPTDIR disable=SC1091
source "$root/tools/go-module.sh"
tools_dir="${OTELKIT_TOOLS_DIR:-$root/.tools}"
bin="$tools_dir/bin"
# Built binaries live in a cache outside the clone (keyed by version), so a fresh clone on the same machine, as CI
# makes, reuses them: OTELKIT_TOOLS_CACHE (default ${XDG_CACHE_HOME:-~/.cache}/otelkit/tools).
cache="${OTELKIT_TOOLS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/otelkit/tools}"
versions="$cache/versions"
work="$cache/build/k8s-$KUBERNETES_VERSION-etcd-$ETCD_VERSION"
mkdir -p "$bin" "$versions"

export GOPROXY="${OTELKIT_GOPROXY:-https://proxy.golang.org}"
export GOTOOLCHAIN=local GOWORK=off GOFLAGS="${GOFLAGS:--buildvcs=false}" CGO_ENABLED="${CGO_ENABLED:-0}"
go_minor="$(go env GOVERSION | sed -E 's/^go([0-9]+\.[0-9]+).*/\1/')"

log() { printf '[%s] k8s/build: %s\n' "$(date +%H:%M:%S)" "$*"; }

# name -> version key of its folder in .tools/versions
declare -A keys=(
  [kube-apiserver]="kube-apiserver-$KUBERNETES_VERSION"
  [kubectl]="kubectl-$KUBERNETES_VERSION"
  [etcd]="etcd-$ETCD_VERSION"
)

all_fresh=1
for name in "${!keys[@]}"; do
  [ -x "$versions/${keys[$name]}/$name" ] || all_fresh=0
done
if [ "$all_fresh" = 1 ]; then
  for name in "${!keys[@]}"; do ln -sfn "$versions/${keys[$name]}/$name" "$bin/$name"; done
  log "kube-apiserver, kubectl $KUBERNETES_VERSION and etcd $ETCD_VERSION are up to date"
  exit 0
fi

started=$(date +%s)
log "go $(go env GOVERSION), GOPROXY=$GOPROXY: building Kubernetes $KUBERNETES_VERSION, etcd $ETCD_VERSION in $work"
rm -rf "$work" && mkdir -p "$work/etcd"
cp "$root/tools/k8s/etcd/main.go" "$work/etcd/main.go"
printf 'module otelkit.local/k8s-build\n\ngo %s\n\nrequire k8s.io/kubernetes %s\n' "$go_minor" "$KUBERNETES_VERSION" \
  >"$work/go.mod"
src="$(module_source "$work" k8s.io/kubernetes "$KUBERNETES_VERSION")" || exit 1
{
  # Kubernetes' GODEBUG defaults (its go.mod pins them: the main module's go line would otherwise decide)
  grep '^godebug ' "$src/go.mod" || true
  # every staging module of the replace block (`k8s.io/x => ./staging/src/k8s.io/x`), at its published version
  printf '\nreplace (\n'
  awk -v v="$KUBERNETES_STAGING_VERSION" '/^replace[ \t]*\($/ { b = 1; next } b && /^\)/ { b = 0 }
    b && $3 ~ /^\.\/staging\// { printf "\t%s => %s %s\n", $1, $1, v }' "$src/go.mod"
  printf ')\n'
} >>"$work/go.mod"
staged="$(grep -c ' => k8s.io/' "$work/go.mod")"
[ "$staged" -gt 20 ] || {
  log "found only $staged staging modules in k8s.io/kubernetes@$KUBERNETES_VERSION's go.mod: has its layout changed?"
  exit 1
}
cp "$src/go.sum" "$work/go.sum"
etcd_required="$(cd "$work" && go list -mod=mod -m -f '{{.Version}}' go.etcd.io/etcd/server/v3)"
[ "$etcd_required" = "$ETCD_VERSION" ] || {
  log "k8s.io/kubernetes@$KUBERNETES_VERSION requires etcd server $etcd_required, tools/k8s/versions.env pins $ETCD_VERSION"
  exit 1
}
log "wrapper module: $staged staging modules at $KUBERNETES_STAGING_VERSION, etcd $etcd_required; compiling"
version_pkg=k8s.io/component-base/version
minor="${KUBERNETES_VERSION#v*.}"
ldflags="-s -w -X $version_pkg.gitVersion=$KUBERNETES_VERSION -X $version_pkg.gitMajor=${KUBERNETES_VERSION:1:1}"
ldflags+=" -X $version_pkg.gitMinor=${minor%%.*} -X $version_pkg.gitTreeState=clean"
(cd "$work" && go build -mod=mod -pgo=off -trimpath -ldflags="$ldflags" -o "$work/out/" \
  k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kubectl ./etcd)
for name in "${!keys[@]}"; do
  mkdir -p "$versions/${keys[$name]}"
  mv -f "$work/out/$name" "$versions/${keys[$name]}/$name"
  ln -sfn "$versions/${keys[$name]}/$name" "$bin/$name"
  log "$name: built ${keys[$name]} ($(du -h "$versions/${keys[$name]}/$name" | cut -f1))"
done
log "done in $(($(date +%s) - started))s"
