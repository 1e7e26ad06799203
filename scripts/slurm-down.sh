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

# Alive, and not a zombie waiting for its parent to reap it.
alive() {
    [ -r "/proc/$1/status" ] && ! grep -q '^State:[[:space:]]*Z' "/proc/$1/status"
}

# The pid that STATE/run/NAME.started recorded, if it is still that program.
ours() {
    local name=$1 file="$state/run/$1.started" pid
    [ -s "$file" ] || return 1
    pid=$(cat "$file")
    rm -f "$file"
    alive "$pid" && tr '\0' ' ' < "/proc/$pid/cmdline" | grep -q "$name" && echo "$pid"
}

# Sends SIGTERM to each named daemon of ours, waits up to 5 s, then SIGKILL.
stop() {
    local pids=() names=() name pid
    for name in "$@"; do
        if pid=$(ours "$name"); then pids+=("$pid"); names+=("$name($pid)"); fi
    done
    [ ${#pids[@]} -gt 0 ] || return 0
    kill "${pids[@]}" 2>/dev/null
    for _ in $(seq 100); do
        local running=0
        for pid in "${pids[@]}"; do alive "$pid" && running=1; done
        [ "$running" = 0 ] && break
        sleep 0.05
    done
    for pid in "${pids[@]}"; do alive "$pid" && kill -9 "$pid" 2>/dev/null; done
    echo "slurm-down: stopped ${names[*]}"
}

# The node and the controller together, then munge, which both use.
stop slurmd slurmctld
stop munged
if $clean; then
    rm -rf "$state"
fi
