#!/usr/bin/env bash
# Installs the Debian packages that tests and the native stack need, only when missing:
# postgresql (server binaries; our tests run private clusters, never the system one), prometheus (+ promtool),
# prometheus-postgres-exporter, docker-compose (only `docker-compose config` validation), yamllint.
# The packages' own daemons are kept from starting (policy-rc.d) so they never hold our ports.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

packages=(postgresql prometheus prometheus-postgres-exporter docker-compose yamllint)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-system: all present (${packages[*]})"
  exit 0
fi

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "install-system: installing ${missing[*]}"
policy=/usr/sbin/policy-rc.d
created_policy=0
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\n# installed by otelkit tools/install-system.sh during apt-get install\nexit 101\n' | $sudo tee "$policy" >/dev/null
  $sudo chmod +x "$policy"
  created_policy=1
fi
cleanup() { [ "$created_policy" -eq 0 ] || $sudo rm -f "$policy"; }
trap cleanup EXIT

$sudo apt-get -o DPkg::Lock::Timeout=600 update -qq
$sudo apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}"

# Belt and braces: no package daemon may keep running on our ports.
for daemon in prometheus prometheus-postgres-exporter; do
  pkill -x "$daemon" 2>/dev/null || true
done
echo "install-system: done"
