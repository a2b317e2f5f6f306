#!/usr/bin/env bash
# Builds the pinned Go tools into .tools/bin (git-ignored) from the Go module proxy, versions from
# tools/versions.env. Idempotent: a tool whose versioned binary exists is skipped; bumping a version rebuilds it.
#
#   bash tools/build-go-tools.sh [collector|k6|jaeger|helm|all]...   (default: all)
#
# .tools/bin/<name> is a symlink to .tools/bin/<name>-<version>. Go's module and build caches (~/go/pkg/mod,
# ~/.cache/go-build) make rebuilds fast; a cold build of everything takes 15-30 minutes on 2 cores.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
# shellcheck source=tools/versions.env
source "$root/tools/versions.env"
bin="$root/.tools/bin"
build="$root/.tools/build"
mkdir -p "$bin" "$build"
export GOFLAGS="${GOFLAGS:--buildvcs=false}" GOTOOLCHAIN=local
export GOPROXY="${GOPROXY_OVERRIDE:-https://proxy.golang.org}"
ldflags="-s -w"

log() { printf '[%s] build-go-tools: %s\n' "$(date +%H:%M:%S)" "$*"; }

# link NAME VERSIONED_PATH: point .tools/bin/NAME at the versioned binary
link() { ln -sfn "$(basename "$2")" "$bin/$1"; log "$1 -> $(basename "$2") ($(du -h "$2" | cut -f1))"; }

# fresh NAME VERSION: true (0) when the versioned binary is already there
fresh() {
  if [ -x "$bin/$1-$2" ]; then
    ln -sfn "$1-$2" "$bin/$1"
    log "$1 $2 is up to date"
    return 0
  fi
  return 1
}

build_collector() {
  local version="$OTELCOL_VERSION" out="$bin/otelcol-otelkit-$OTELCOL_VERSION"
  fresh otelcol-otelkit "$version" && return 0
  local builder="$build/builder-$version"
  if [ ! -x "$builder/builder" ]; then
    log "installing the collector builder $version"
    GOBIN="$builder" go install -trimpath "go.opentelemetry.io/collector/cmd/builder@$version"
  fi
  local work="$build/otelcol-otelkit-$version"
  mkdir -p "$work"
  # The manifest, with the output path set to our build folder.
  awk -v out="$work/src" '{ print } /^dist:/ { print "  output_path: " out }' \
    "$root/collector/builder-config.yaml" >"$work/manifest.yaml"
  log "building otelcol-otelkit $version (go mod download + go build; minutes when cold)"
  (cd "$work" && "$builder/builder" --config="$work/manifest.yaml" --ldflags="$ldflags")
  cp "$work/src/otelcol-otelkit" "$out"
  link otelcol-otelkit "$out"
}

build_k6() {
  fresh k6 "$K6_VERSION" && return 0
  log "building k6 $K6_VERSION"
  GOBIN="$build/k6-$K6_VERSION" go install -trimpath -ldflags="$ldflags" "go.k6.io/k6@$K6_VERSION"
  cp "$build/k6-$K6_VERSION/k6" "$bin/k6-$K6_VERSION"
  link k6 "$bin/k6-$K6_VERSION"
}

build_jaeger() {
  fresh jaeger "$JAEGER_MODULE_VERSION" && return 0
  # `go install module@version` refuses modules with replace directives; a wrapper module carries jaeger's one
  # replace (sarama) and builds cmd/jaeger from the pinned module version.
  local work="$build/jaeger-$JAEGER_MODULE_VERSION"
  mkdir -p "$work"
  local mod
  mod="$(curl -fsS "$GOPROXY/github.com/jaegertracing/jaeger/@v/$JAEGER_MODULE_VERSION.mod")"
  {
    echo "module otelkit.local/jaeger-build"
    echo
    echo "go $(go env GOVERSION | sed -E 's/^go([0-9]+\.[0-9]+).*/\1/')"
    echo
    echo "require github.com/jaegertracing/jaeger $JAEGER_MODULE_VERSION"
    echo
    grep -E '^replace ' <<<"$mod" || true
  } >"$work/go.mod"
  log "building jaeger (v2 binary, module $JAEGER_MODULE_VERSION = release $JAEGER_RELEASE)"
  # The checksum database is not reachable through the proxy here for the older modules jaeger pins (404 on
  # sumdb lookups): this one build runs with GOSUMDB=off; the modules still come from the proxy over TLS, and the
  # go.sum the build writes is kept in .tools/build for inspection.
  (cd "$work" && GOSUMDB=off go build -mod=mod -trimpath -ldflags="$ldflags" -o "$bin/jaeger-$JAEGER_MODULE_VERSION" \
    github.com/jaegertracing/jaeger/cmd/jaeger)
  link jaeger "$bin/jaeger-$JAEGER_MODULE_VERSION"
}

build_helm() {
  fresh helm "$HELM_VERSION" && return 0
  log "building helm $HELM_VERSION"
  GOBIN="$build/helm-$HELM_VERSION" go install -trimpath -ldflags="$ldflags" "helm.sh/helm/v4/cmd/helm@$HELM_VERSION"
  cp "$build/helm-$HELM_VERSION/helm" "$bin/helm-$HELM_VERSION"
  link helm "$bin/helm-$HELM_VERSION"
}

targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(all)
for target in "${targets[@]}"; do
  case "$target" in
    collector) build_collector ;;
    k6) build_k6 ;;
    jaeger) build_jaeger ;;
    helm) build_helm ;;
    all) build_collector; build_k6; build_jaeger; build_helm ;;
    *) echo "usage: $0 [collector|k6|jaeger|helm|all]..." >&2; exit 2 ;;
  esac
done
