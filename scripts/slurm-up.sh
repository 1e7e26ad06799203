#!/usr/bin/env bash
# Starts a single-node Slurm cluster on localhost, without systemd, for
# scripts/slurm-test.sh (docs/cluster.md): munged, slurmctld and slurmd are
# started directly, as the current user (root in CI containers), with every
# file (config, key, sockets, spool, logs, pid files) in one state folder.
# Installs slurm-wlm and munge from Debian's packages first if they are
# missing. scripts/slurm-down.sh stops exactly what this started.
#
#   scripts/slurm-up.sh [STATE]      default STATE: target/slurm
#   export SLURM_CONF=STATE/slurm.conf    then sbatch, squeue, sinfo work
set -euo pipefail
cd "$(dirname "$0")/.."

state=$(realpath -m "${1:-target/slurm}")

if ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null || ! command -v munged >/dev/null; then
    echo "== installing slurm-wlm and munge (Debian packages)"
    started=$(date +%s)
    if [ "$(id -u)" -ne 0 ]; then
        echo "slurm-up: slurm-wlm and munge are missing and this is not root; install them first" >&2
        exit 1
    fi
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends slurm-wlm munge >/dev/null
    echo "   installed in $(( $(date +%s) - started )) s"
fi

if [ -s "$state/run/slurmctld.pid" ] && kill -0 "$(cat "$state/run/slurmctld.pid")" 2>/dev/null; then
    echo "slurm-up: a cluster from $state is running already (scripts/slurm-down.sh $state stops it)" >&2
    exit 1
fi
rm -rf "$state"
mkdir -p "$state"/{munge,spool/ctld,spool/d,log,run}
chmod 755 "$state/munge"

# munge: a fresh key, its own socket, nothing under /etc or /run.
dd if=/dev/urandom of="$state/munge/munge.key" bs=1024 count=1 status=none
chmod 400 "$state/munge/munge.key"
socket="$state/munge/munge.socket"

host=$(hostname -s)
cpus=$(nproc)
user=$(id -un)
# Ports of our own, so that a system Slurm on the default ones is not disturbed.
ctld_port=${SLURM_UP_CTLD_PORT:-16817}
d_port=${SLURM_UP_D_PORT:-16818}

cat > "$state/slurm.conf" <<EOF
# Written by scripts/slurm-up.sh: a one-node cluster for tests.
ClusterName=dateline
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$d_port
SlurmUser=$user
SlurmdUser=$user
AuthType=auth/munge
AuthInfo=socket=$socket
CredType=cred/munge
StateSaveLocation=$state/spool/ctld
SlurmdSpoolDir=$state/spool/d
SlurmctldPidFile=$state/run/slurmctld.pid
SlurmdPidFile=$state/run/slurmd.pid
SlurmctldLogFile=$state/log/slurmctld.log
SlurmdLogFile=$state/log/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
# No cgroups and no systemd in a container: track processes by parent id.
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/backfill
MpiDefault=none
MailProg=/bin/true
ReturnToService=2
# Quick to notice a finished or failed job in tests.
MinJobAge=300
SlurmdTimeout=30
InactiveLimit=0
KillWait=5
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF

export SLURM_CONF="$state/slurm.conf"

# Each daemon runs in the foreground under our control: its pid is the one
# we record, and slurm-down.sh kills only those pids.
munged --foreground --force --socket="$socket" --key-file="$state/munge/munge.key" \
    --log-file="$state/log/munged.log" --pid-file="$state/run/munged.pid" \
    --seed-file="$state/munge/munged.seed" >"$state/log/munged.out" 2>&1 &
echo $! > "$state/run/munged.started"
for _ in $(seq 50); do [ -S "$socket" ] && break; sleep 0.1; done
[ -S "$socket" ] || { echo "slurm-up: munged did not start:" >&2; cat "$state/log/munged.out" "$state/log/munged.log" >&2 2>/dev/null; exit 1; }

slurmctld -D -i -f "$SLURM_CONF" >"$state/log/slurmctld.out" 2>&1 &
echo $! > "$state/run/slurmctld.started"
slurmd -D -f "$SLURM_CONF" -N "$host" >"$state/log/slurmd.out" 2>&1 &
echo $! > "$state/run/slurmd.started"

# Up when the node is idle (about a second).
for attempt in $(seq 100); do
    if sinfo -h -N -o '%T' 2>/dev/null | grep -qx 'idle'; then
        echo "slurm-up: one-node cluster up in $state ($cpus CPUs, node $host); export SLURM_CONF=$SLURM_CONF"
        exit 0
    fi
    sleep 0.2
done
echo "slurm-up: the node did not become idle; logs follow" >&2
sinfo -N -l >&2 || true
tail -n 40 "$state"/log/*.log "$state"/log/*.out >&2 || true
exit 1
