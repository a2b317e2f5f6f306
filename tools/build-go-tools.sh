#!/usr/bin/env bash
# Builds the pinned Go tools from the Go module proxy into .tools/bin (git-ignored), at the versions of
# tools/versions.env:
#
#   bash tools/build-go-tools.sh [collector|k6|jaeger|helm|prometheus|alertmanager|actionlint|telemetrygen|all]...
#   (default: all)
#
#   collector    -> .tools/bin/otelcol-otelkit          our collector distribution (collector/builder-config.yaml, via ocb)
#   k6           -> .tools/bin/k6
#   jaeger       -> .tools/bin/jaeger                   Jaeger v2 (all-in-one, no UI assets)
#                   .tools/bin/es-index-cleaner         its index cleaner (retention of the OpenSearch trace store)
#   helm         -> .tools/bin/helm
#   prometheus   -> .tools/bin/prometheus, promtool     Prometheus 3 (no UI assets)
#   alertmanager -> .tools/bin/alertmanager, amtool
#   actionlint   -> .tools/bin/actionlint              the linter of .github/workflows (npm test)
#   telemetrygen -> .tools/bin/telemetrygen            contrib's OTLP load generator: only `npm run bench:gateway`
#                                                      builds it (neither CI nor the tests need it)
#
# Each .tools/bin/<name> is a symlink to a versioned binary, <cache>/versions/<name>-<version>/<name> (the
# collector's folder also carries a hash of its manifest), so bumping a version, or changing the manifest, builds
# anew and an unchanged one is skipped. (A folder per version, not a file <name>-<version>, because k6 names itself
# after its file: `k6 version` would print "k6-v2.2.0 v2.2.0".) Go's module and build caches (~/go/pkg/mod,
# ~/.cache/go-build) are used as usual. Cold on 2 cores, the first four take about 9 minutes, Prometheus and
# Alertmanager about 8 more (tools/README.md).
#
# Environment: OTELKIT_TOOLS_DIR (default <repo>/.tools), OTELKIT_GOPROXY (default https://proxy.golang.org),
# CGO_ENABLED (default 0: static binaries, as upstream releases them).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
# shellcheck source=versions.env source-path=SCRIPTDIR disable=SC1091
source "$root/tools/versions.env"
# shellcheck source=go-module.sh source-path=SCRIPTDIR disable=SC1091
source "$root/tools/go-module.sh"
tools_dir="${OTELKIT_TOOLS_DIR:-$root/.tools}"
bin="$tools_dir/bin"
# Built binaries live in a cache outside the clone (keyed by version), so a fresh clone on the same machine, as CI
# makes, reuses them: OTELKIT_TOOLS_CACHE (default ${XDG_CACHE_HOME:-~/.cache}/otelkit/tools).
cache="${OTELKIT_TOOLS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/otelkit/tools}"
versions="$cache/versions"
build="$cache/build"
mkdir -p "$bin" "$versions" "$build"

# Only the module proxy is reachable: no fallback to `direct` (VCS) fetches, which would only fail slower and less
# clearly. The checksum database is reached through the proxy as usual.
export GOPROXY="${OTELKIT_GOPROXY:-https://proxy.golang.org}"
export GOTOOLCHAIN=local GOFLAGS="${GOFLAGS:--buildvcs=false}" CGO_ENABLED="${CGO_ENABLED:-0}"
go_minor="$(go env GOVERSION | sed -E 's/^go([0-9]+\.[0-9]+).*/\1/')"

log() { printf '[%s] build-go-tools: %s\n' "$(date +%H:%M:%S)" "$*"; }

# fresh NAME KEY: when the versioned binary KEY/NAME exists, point .tools/bin/NAME at it and succeed
fresh() {
  [ -x "$versions/$2/$1" ] || return 1
  ln -sfn "$versions/$2/$1" "$bin/$1"
  log "$1: $2 is up to date"
}

# install_binary NAME KEY SRC STARTED: move the built SRC into place as KEY/NAME, link .tools/bin/NAME to it
install_binary() {
  mkdir -p "$versions/$2"
  mv -f "$3" "$versions/$2/$1"
  ln -sfn "$versions/$2/$1" "$bin/$1"
  log "$1: built $2 ($(du -h "$versions/$2/$1" | cut -f1)) in $(($(date +%s) - $4))s"
}

# wrapper_build DIR MODULE VERSION OUT LDFLAGS PACKAGE...: builds the PACKAGEs of MODULE@VERSION from a throw-away
# wrapper module in DIR into OUT (a file for one package; a folder ending in / for several, one binary each, named
# after its package). Why not `go install MODULE/PACKAGE@VERSION`: it refuses modules with replace directives
# (Jaeger, Prometheus), and it looks the module's deprecation up through the proxy's version list, which the proxy
# here does not serve for every module (go.k6.io/k6/v2: 404, so `go install go.k6.io/k6/v2@...` fails). The wrapper
# requires exactly MODULE@VERSION, carries MODULE's own replace and exclude directives and starts from MODULE's own
# go.sum, so the build list and the checksums are the module's (MODULE itself is checked against the checksum
# database; some of its older dependencies are missing there, which is why its go.sum is reused rather than rebuilt).
wrapper_build() {
  local dir="$1" module="$2" version="$3" out="$4" ldflags="$5"
  shift 5
  wrapper_module "$dir" "$module" "$version" >/dev/null || return 1
  (cd "$dir" && go build -mod=mod -trimpath -ldflags="$ldflags" -o "$out" "$@")
}

# wrapper_module DIR MODULE VERSION: the throw-away wrapper module of wrapper_build in DIR (go.mod, go.sum); prints
# the folder of MODULE's sources in the module cache
wrapper_module() {
  local dir="$1" module="$2" version="$3" src
  rm -rf "$dir" && mkdir -p "$dir"
  printf 'module otelkit.local/tool-build\n\ngo %s\n\nrequire %s %s\n' "$go_minor" "$module" "$version" >"$dir/go.mod"
  src="$(module_source "$dir" "$module" "$version")" || return 1
  # the module's replace and exclude directives, one-line and block form
  awk '/^(replace|exclude)[ \t]*\($/ { block = 1 } block || /^(replace|exclude)[ \t]/ { print } block && /^\)/ { block = 0 }' \
    "$src/go.mod" >>"$dir/go.mod"
  if [ -f "$src/go.sum" ]; then
    touch "$dir/go.sum"
    sort -u -o "$dir/go.sum" "$dir/go.sum" "$src/go.sum"
  fi
  printf '%s\n' "$src"
}

build_collector() {
  local manifest="$root/collector/builder-config.yaml" started hash name work builder
  # keyed by the manifest's content without its comments: a component change builds anew, a comment edit does not
  hash="$(grep -v '^[[:space:]]*#' "$manifest" | sha256sum | cut -c1-8)"
  name="otelcol-otelkit-$OTELCOL_VERSION-$hash"
  fresh otelcol-otelkit "$name" && return 0
  started=$(date +%s)
  builder="$build/builder-$OTELCOL_VERSION"
  if [ ! -x "$builder/builder" ]; then
    log "collector: installing the builder (ocb) $OTELCOL_VERSION"
    GOBIN="$builder" go install -trimpath -ldflags="-s -w" "go.opentelemetry.io/collector/cmd/builder@$OTELCOL_VERSION"
  fi
  work="$build/$name"
  rm -rf "$work" && mkdir -p "$work"
  # The manifest as committed, with the output path set to our build folder.
  awk -v out="$work/src" '{ print } /^dist:/ { print "  output_path: " out }' "$manifest" >"$work/manifest.yaml"
  log "collector: building $name with ocb (go mod tidy, then go build -trimpath -ldflags='-s -w'; about 4-5 min cold)"
  "$builder/builder" --config="$work/manifest.yaml"
  install_binary otelcol-otelkit "$name" "$work/src/otelcol-otelkit" "$started"
}

build_k6() {
  local name="k6-$K6_VERSION" started
  fresh k6 "$name" && return 0
  started=$(date +%s)
  log "k6: building go.k6.io/k6/v2@$K6_VERSION (a minute or two cold)"
  wrapper_build "$build/$name" go.k6.io/k6/v2 "$K6_VERSION" "$build/$name/k6" "-s -w" go.k6.io/k6/v2
  install_binary k6 "$name" "$build/$name/k6" "$started"
}

build_jaeger() {
  local name="jaeger-$JAEGER_RELEASE" started
  fresh jaeger "$name" && return 0
  started=$(date +%s)
  log "jaeger: building cmd/jaeger of github.com/jaegertracing/jaeger@$JAEGER_MODULE_VERSION (= $JAEGER_RELEASE)"
  wrapper_build "$build/$name" github.com/jaegertracing/jaeger "$JAEGER_MODULE_VERSION" "$build/$name/jaeger" \
    "-s -w -X github.com/jaegertracing/jaeger/internal/version.latestVersion=$JAEGER_RELEASE" \
    github.com/jaegertracing/jaeger/cmd/jaeger
  install_binary jaeger "$name" "$build/$name/jaeger" "$started"
}

# Jaeger's index cleaner (cmd/es-index-cleaner of the same module and release): the retention job of the OpenSearch
# trace store, which deletes the daily jaeger-span/-service indices older than N days (tests/opensearch e2e, and the
# chart's esIndexCleaner CronJob runs the same program)
build_es_index_cleaner() {
  local name="es-index-cleaner-$JAEGER_RELEASE" started
  fresh es-index-cleaner "$name" && return 0
  started=$(date +%s)
  log "es-index-cleaner: building cmd/es-index-cleaner of github.com/jaegertracing/jaeger@$JAEGER_MODULE_VERSION"
  wrapper_build "$build/$name" github.com/jaegertracing/jaeger "$JAEGER_MODULE_VERSION" "$build/$name/es-index-cleaner" \
    "-s -w" github.com/jaegertracing/jaeger/cmd/es-index-cleaner
  install_binary es-index-cleaner "$name" "$build/$name/es-index-cleaner" "$started"
}

# build_one TOOL MODULE VERSION LDFLAGS PACKAGE: the one binary TOOL, PACKAGE of MODULE@VERSION, as TOOL-VERSION
build_one() {
  local tool="$1" name="$1-$3" started
  fresh "$tool" "$name" && return 0
  started=$(date +%s)
  log "$tool: building $5@$3"
  wrapper_build "$build/$name" "$2" "$3" "$build/$name/$tool" "$4" "$5"
  install_binary "$tool" "$name" "$build/$name/$tool" "$started"
}

build_helm() {
  build_one helm helm.sh/helm/v4 "$HELM_VERSION" "-s -w -X helm.sh/helm/v4/internal/version.version=$HELM_VERSION" \
    helm.sh/helm/v4/cmd/helm
}

# prometheus_ldflags MODULE_VERSION RELEASE: what upstream's .promu.yml sets, so that `--version` reports RELEASE
# (without its "v"). The module zip carries no VCS data: the revision is the module version it was built from.
prometheus_ldflags() {
  local v=github.com/prometheus/common/version
  printf '%s' "-s -w -X $v.Version=${2#v} -X $v.Revision=$1 -X $v.Branch=HEAD" \
    " -X $v.BuildUser=otelkit@build-go-tools -X $v.BuildDate=$(date -u +%Y%m%d-%H:%M:%S)"
}

# install_pair NAME1 NAME2 KEY STARTED: install_binary for two binaries built into $build/KEY/out/
install_pair() {
  install_binary "$1" "$3" "$build/$3/out/$1" "$4"
  install_binary "$2" "$3" "$build/$3/out/$2" "$4"
}

# build_prometheus_pair MODULE MODULE_VERSION VERSION NAME1 NAME2: cmd/NAME1 and cmd/NAME2 of a Prometheus-project
# module (same version ldflags), as NAME1-VERSION
build_prometheus_pair() {
  local module="$1" module_version="$2" version="$3" name="$4-$3" started
  fresh "$4" "$name" && fresh "$5" "$name" && return 0
  started=$(date +%s)
  log "$4: building cmd/$4 and cmd/$5 of $module@$module_version (= $version, no UI assets)"
  wrapper_build "$build/$name" "$module" "$module_version" "$build/$name/out/" \
    "$(prometheus_ldflags "$module_version" "$version")" "$module/cmd/$4" "$module/cmd/$5"
  install_pair "$4" "$5" "$name" "$started"
}

build_prometheus() {
  build_prometheus_pair github.com/prometheus/prometheus "$PROMETHEUS_MODULE_VERSION" "$PROMETHEUS_VERSION" \
    prometheus promtool
}

# Alertmanager from v0.32 on embeds its compiled web UI (`//go:embed app/dist` in ui/web.go), which the module zip
# does not carry (it is built by npm in upstream's release process), so a plain build fails with "pattern app/dist:
# no matching files found". The wrapper module builds a copy of the module's sources instead (the module cache is
# read-only), in which ui/app/dist holds one generated page saying that the UI is not bundled, gzipped as the UI
# handler serves HTML (index.html.gz). Everything else (the API the tests and amtool use, templates, notifiers) is
# the module's own code, unchanged.
build_alertmanager() {
  local module=github.com/prometheus/alertmanager version="$ALERTMANAGER_VERSION" name="alertmanager-$ALERTMANAGER_VERSION"
  local dir="$build/alertmanager-$ALERTMANAGER_VERSION" src started
  fresh alertmanager "$name" && fresh amtool "$name" && return 0
  started=$(date +%s)
  log "alertmanager: building cmd/alertmanager and cmd/amtool of $module@$version (a copy with a placeholder UI page)"
  src="$(wrapper_module "$dir" "$module" "$version")" || return 1
  cp -r "$src" "$dir/module" && chmod -R u+w "$dir/module"
  mkdir -p "$dir/module/ui/app/dist"
  printf '%s\n' '<!doctype html><html><head><meta charset="utf-8"><title>Alertmanager</title></head><body>' \
    "<p>Alertmanager ${version#v}, built from the Go module by otelkit's tools/build-go-tools.sh: the web UI is" \
    'not bundled. The API is served under <a href="api/v2/status">api/v2/</a>; amtool talks to it.</p>' \
    '</body></html>' | gzip -9n >"$dir/module/ui/app/dist/index.html.gz"
  printf '\nreplace %s => ./module\n' "$module" >>"$dir/go.mod"
  (cd "$dir" && go build -mod=mod -trimpath -ldflags="$(prometheus_ldflags "$version" "$version")" -o "$dir/out/" \
    "$module/cmd/alertmanager" "$module/cmd/amtool")
  install_pair alertmanager amtool "$name" "$started"
}

build_actionlint() {
  build_one actionlint github.com/rhysd/actionlint "$ACTIONLINT_VERSION" \
    "-s -w -X github.com/rhysd/actionlint.version=$ACTIONLINT_VERSION" github.com/rhysd/actionlint/cmd/actionlint
}

# contrib's load generator (cmd/telemetrygen, its own module), which drives `npm run bench:gateway`; only that script
# asks for it, so neither .ci/run nor the test scripts pay its build
build_telemetrygen() {
  local module=github.com/open-telemetry/opentelemetry-collector-contrib/cmd/telemetrygen
  build_one telemetrygen "$module" "$TELEMETRYGEN_VERSION" "-s -w" "$module"
}

targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(all)
for target in "${targets[@]}"; do
  case "$target" in
    collector | k6 | jaeger | helm | prometheus | alertmanager | actionlint | telemetrygen) ;;
    all) ;;
    *)
      echo "usage: $0 [collector|k6|jaeger|helm|prometheus|alertmanager|actionlint|telemetrygen|all]..." >&2
      exit 2
      ;;
  esac
done
started=$(date +%s)
log "go $(go env GOVERSION), GOPROXY=$GOPROXY, CGO_ENABLED=$CGO_ENABLED, into $bin"
# Sequential on purpose: `go build` already uses every core, and the tools share dependencies (gRPC, OTel,
# protobuf, Kubernetes client), which a sequential run compiles once into the shared build cache.
for target in "${targets[@]}"; do
  case "$target" in
    all)
      build_collector
      build_k6
      build_jaeger
      build_es_index_cleaner
      build_helm
      build_prometheus
      build_alertmanager
      build_actionlint
      build_telemetrygen
      ;;
    jaeger)
      build_jaeger
      build_es_index_cleaner
      ;;
    *) "build_$target" ;;
  esac
done
log "done in $(($(date +%s) - started))s"
