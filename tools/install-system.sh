#!/usr/bin/env bash
# Installs the Debian packages that the tests and the native stack need, only those that are missing:
#   postgresql                    server binaries (tests run private clusters as the postgres user, never the
#                                 system one)
#   prometheus-postgres-exporter
#   docker-compose                only for `docker-compose config` (validates docker-compose.yml without an engine)
#   yamllint, shellcheck          lint of the YAML configs and of the shell scripts
#   openjdk-17-jdk-headless,      OpenSearch for the Jaeger-on-OpenSearch tests: @otelkit/native-runtime resolves its
#   maven                         jars from Maven Central with Maven and compiles its small launcher with javac
# Idempotent: when everything is installed it runs no apt-get at all. Runs as root, or through sudo.
# Prometheus and promtool are no longer Debian's (2.42): tools/build-go-tools.sh builds the pinned Prometheus 3.
#
# The packages' own daemons must never hold our ports (Prometheus 9090, the exporter 9187, PostgreSQL 5432): during
# the install a policy-rc.d that answers 101 ("action forbidden") keeps invoke-rc.d and deb-systemd-invoke from
# starting them, and afterwards any such daemon that runs anyway is stopped and its service disabled (systemd, or
# the SysV rc links without it), so it does not start at the next boot either. Debian's `prometheus`, which earlier
# versions of this script installed, is left installed but gets the same treatment on every run.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

packages=(postgresql prometheus-postgres-exporter docker-compose yamllint shellcheck openjdk-17-jdk-headless maven)

log() { printf '[%s] install-system: %s\n' "$(date +%H:%M:%S)" "$*"; }
installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q '^install ok installed$'; }

sudo=()
[ "$(id -u)" -eq 0 ] || sudo=(sudo)

# enabled NAME: the system service NAME starts at boot (systemd unit enabled, or SysV start links without systemd)
enabled() {
  if [ -d /run/systemd/system ]; then
    systemctl is-enabled --quiet "$1.service" 2>/dev/null
  else
    compgen -G "/etc/rc[2-5].d/S[0-9][0-9]$1" >/dev/null
  fi
}

# quiet_daemon NAME: stops the system daemon NAME (a Prometheus package's, user prometheus) and disables its service
quiet_daemon() {
  if enabled "$1"; then
    log "disabling the system service $1"
    if [ -d /run/systemd/system ]; then
      "${sudo[@]}" systemctl disable --now "$1.service" >/dev/null 2>&1 || true
    else
      "${sudo[@]}" update-rc.d "$1" disable >/dev/null 2>&1 || true
    fi
  fi
  # by command line: process names are cut to 15 characters, too short for prometheus-postgres-exporter; matched by
  # exact name and the packages' system user, so a Prometheus of our own (tests, `npm run stack`) is never touched
  local pattern="^(/usr/bin/)?$1( |\$)"
  if pgrep -u prometheus -f "$pattern" >/dev/null 2>&1; then
    log "stopping the system $1 daemon (user prometheus)"
    "${sudo[@]}" pkill -u prometheus -f "$pattern" || true
  fi
}

# Debian's prometheus from earlier runs, and an exporter installed before this script disabled SysV services
for p in prometheus prometheus-postgres-exporter; do
  if installed "$p"; then quiet_daemon "$p"; fi
done

missing=()
for p in "${packages[@]}"; do
  installed "$p" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  log "all installed: ${packages[*]}"
  exit 0
fi

policy=/usr/sbin/policy-rc.d
created_policy=0
if [ ! -e "$policy" ]; then
  log "installing $policy (exit 101) so that the packages start no daemon"
  printf '#!/bin/sh\n# temporary, from otelkit tools/install-system.sh: no daemon starts during apt-get install\nexit 101\n' |
    "${sudo[@]}" tee "$policy" >/dev/null
  "${sudo[@]}" chmod 755 "$policy"
  created_policy=1
else
  log "$policy exists already; leaving it as it is"
fi
remove_policy() {
  if [ "$created_policy" -eq 1 ]; then
    "${sudo[@]}" rm -f "$policy"
    log "removed $policy"
  fi
}
trap remove_policy EXIT

apt_get=("${sudo[@]}" apt-get -o DPkg::Lock::Timeout=600 -o Acquire::Retries=3)
log "missing: ${missing[*]}"
log "apt-get update"
"${apt_get[@]}" update -qq
log "apt-get install -y --no-install-recommends ${missing[*]}"
"${apt_get[@]}" install -y -qq --no-install-recommends "${missing[@]}"

# Belt and braces, for the daemon packages installed just now: stop whatever runs anyway (an existing policy-rc.d
# may allow starts). Matched by exact name and by the packages' system user, so a Prometheus or PostgreSQL of our
# own (started by the tests or `npm run stack`) is never touched.
for p in "${missing[@]}"; do
  case "$p" in
    prometheus-postgres-exporter) quiet_daemon "$p" ;;
    postgresql)
      if [ -d /run/systemd/system ]; then
        log "systemd: disabling and stopping the system service postgresql"
        "${sudo[@]}" systemctl disable --now postgresql.service >/dev/null 2>&1 || true
      fi
      # clusters registered with postgresql-common (the package creates "main"); ours are not registered
      if command -v pg_lsclusters >/dev/null; then
        pg_lsclusters -h 2>/dev/null | while read -r version cluster _port status _rest; do
          if [ "${status%%,*}" = online ]; then
            log "stopping the system PostgreSQL cluster $version/$cluster"
            "${sudo[@]}" pg_ctlcluster "$version" "$cluster" stop || true
          fi
        done
      fi
      ;;
  esac
done

still_missing=()
for p in "${packages[@]}"; do
  installed "$p" || still_missing+=("$p")
done
if [ ${#still_missing[@]} -gt 0 ]; then
  log "still missing after apt-get install: ${still_missing[*]}"
  exit 1
fi
log "installed: ${missing[*]}"
