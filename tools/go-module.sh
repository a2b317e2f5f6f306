# shellcheck shell=bash
# Sourced by tools/build-go-tools.sh and tools/k8s/build.sh (the caller defines `log`).
#
# module_source DIR MODULE VERSION: downloads MODULE@VERSION through the module proxy from the Go module in DIR and
# prints the folder of its sources in the module cache; fails, with the go command's output and a log line, when the
# proxy does not serve it or the module has no go.mod.
module_source() {
  local dir="$1" module="$2" version="$3" json src
  json="$(cd "$dir" && go mod download -json "$module@$version")" || {
    printf '%s\n' "$json" >&2
    log "cannot download $module@$version from ${GOPROXY:-the module proxy}"
    return 1
  }
  src="$(sed -n 's/^\t"Dir": "\(.*\)",$/\1/p' <<<"$json")"
  [ -f "$src/go.mod" ] || {
    log "no go.mod for $module@$version in the module cache"
    return 1
  }
  printf '%s\n' "$src"
}
