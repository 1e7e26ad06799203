#!/usr/bin/env bash
# Stops the cluster scripts/slurm-up.sh started from STATE (default
# target/slurm): only the pids it recorded in STATE/run/*.started, and only
# if each is still the program it was (a recycled pid is left alone).
#
#   scripts/slurm-down.sh [STATE] [--clean]    --clean also removes STATE
set -uo pipefail
cd "$(dirname "$0")/.."

state=target/slurm
clean=false
for argument in "$@"; do
    case "$argument" in
        --clean) clean=true ;;
        *) state=$argument ;;
    esac
done
state=$(realpath -m "$state")

stop() {
    local name=$1 file="$state/run/$1.started"
    [ -s "$file" ] || return 0
    local pid
    pid=$(cat "$file")
    if [ -r "/proc/$pid/cmdline" ] && tr '\0' ' ' < "/proc/$pid/cmdline" | grep -q "$name"; then
        kill "$pid" 2>/dev/null
        for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        if kill -0 "$pid" 2>/dev/null; then
            kill -9 "$pid" 2>/dev/null
        fi
        echo "slurm-down: stopped $name ($pid)"
    fi
    rm -f "$file"
}

# The node first, then the controller, then munge, which both use.
stop slurmd
stop slurmctld
stop munged
if $clean; then
    rm -rf "$state"
fi
