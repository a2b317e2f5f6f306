#!/usr/bin/env bash
# Installs the pinned Python tools of tools/python-requirements.txt (schemathesis, checkov, kubernetes-validate)
# into a virtual environment, .tools/venv (git-ignored), from PyPI:
#
#   bash tools/install-python-tools.sh        -> .tools/venv/bin/{schemathesis,st,checkov,kubernetes-validate}
#
# The environment is keyed by a hash of the requirements file: an unchanged file is a no-op (well under a second),
# a changed one rebuilds the environment from scratch. Needs python3 >= 3.10 with the venv module (Debian's
# python3-venv is installed when it is missing). Environment: OTELKIT_TOOLS_DIR (default <repo>/.tools).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
tools_dir="${OTELKIT_TOOLS_DIR:-$root/.tools}"
venv="$tools_dir/venv"
requirements="$root/tools/python-requirements.txt"
log() { printf '[%s] install-python-tools: %s\n' "$(date +%H:%M:%S)" "$*"; }

hash="$(grep -v '^[[:space:]]*#' "$requirements" | sha256sum | cut -c1-12)"
if [ -x "$venv/bin/python" ] && [ "$(cat "$venv/.requirements-hash" 2>/dev/null)" = "$hash" ]; then
  log "up to date ($venv, requirements $hash)"
  exit 0
fi
if ! python3 -c 'import sys, venv, ensurepip; sys.exit(sys.version_info < (3, 10))' 2>/dev/null; then
  log "python3 >= 3.10 with venv/ensurepip is missing: installing Debian's python3 and python3-venv"
  sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3 python3-venv
fi
started=$(date +%s)
log "creating $venv with $(python3 --version) and installing $(grep -cv '^[[:space:]]*\(#\|$\)' "$requirements") pinned packages"
rm -rf "$venv"
python3 -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-input -r "$requirements"
echo "$hash" >"$venv/.requirements-hash"
log "done in $(($(date +%s) - started))s: $("$venv/bin/pip" list --format=freeze 2>/dev/null | grep -iE '^(schemathesis|checkov|kubernetes-validate)==' | tr '\n' ' ')"
