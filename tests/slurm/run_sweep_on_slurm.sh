#!/usr/bin/env bash
# Runs a sharded sweep as a Slurm job array on a single-node cluster started here, and checks
# that the merged shards are byte-identical to the unsharded sweep (issue 18, part 4).
#
#   tests/slurm/run_sweep_on_slurm.sh MCUSIM [SHARDS]
#
# Starts munged, slurmctld and slurmd (NodeName=localhost, CPUs=2, no accounting) with their
# configuration, keys, sockets, state and logs in a temporary directory and free TCP ports, so it
# touches nothing of the host's own Slurm or MUNGE; submits scripts/slurm/sweep.sbatch (the job
# script of docs/ci.md) as `sbatch --array=1-SHARDS`; waits at most MCUSIM_SLURM_TIMEOUT seconds
# (default 300); merges; compares; stops the daemons it started. Needs root (slurmd starts jobs
# as their user) and Debian's slurm-wlm and munge (scripts/packages-slurm.txt). Exit status: 0
# identical, 1 a failure (the daemons' logs are printed), 77 skipped (not root).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
mcusim="$(realpath "${1:?usage: $0 MCUSIM [SHARDS]}")"
shards="${2:-2}"
timeout="${MCUSIM_SLURM_TIMEOUT:-300}"
# The sweep: 2 x 2 configurations of the anomaly-detection task (the shortest).
sweep_args=(--board nucleo-l4r5zi --task ad --set clock_hz=48000000,120000000 --set flash.prefetch=true,false)

if [ "$(id -u)" -ne 0 ]; then
  echo "SKIP: the single-node Slurm cluster needs root (slurmd runs jobs as their user); CI runs as root"
  exit 77
fi
for tool in munged mungekey slurmctld slurmd sbatch squeue scontrol sinfo python3; do
  command -v "$tool" >/dev/null || { echo "FAIL: $tool not found (bash scripts/install-deps.sh installs slurm-wlm and munge)"; exit 1; }
done

tmp="$(mktemp -d /tmp/mcusim-slurm.XXXXXX)"
pids=()
jid=""
cleanup() {
  local rc=$?
  # Cancel what is still queued or running, and let slurmd reap it, before stopping the daemons.
  if [ -n "$jid" ] && [ -n "$(squeue -h -j "$jid" 2>/dev/null)" ]; then
    scancel "$jid" 2>/dev/null || true
    for _ in $(seq 30); do [ -z "$(squeue -h -j "$jid" 2>/dev/null)" ] && break; sleep 0.5; done
  fi
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do kill "${pids[i]}" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  if [ "$rc" -ne 0 ]; then
    for log in "$tmp"/log/*; do
      [ -f "$log" ] || continue
      echo "----- $log (last 30 lines)"
      tail -n 30 "$log"
    done
  fi
  rm -rf "$tmp"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
fail() { echo "FAIL: $*"; exit 1; }
chmod 711 "$tmp"
mkdir -p "$tmp"/{log,state,spool,shards,munge}
chmod 711 "$tmp/munge"

# MUNGE: its own key and socket.
mungekey --create --keyfile="$tmp/munge/munge.key" >/dev/null
munged --foreground --force --socket="$tmp/munge/munge.sock" --key-file="$tmp/munge/munge.key" \
  --pid-file="$tmp/munge/munged.pid" --seed-file="$tmp/munge/munged.seed" --log-file="$tmp/log/munged.log" >"$tmp/log/munged.out" 2>&1 &
pids+=($!)
for _ in $(seq 50); do [ -S "$tmp/munge/munge.sock" ] && break; sleep 0.1; done
[ -S "$tmp/munge/munge.sock" ] || fail "munged did not create its socket"

read -r ctld_port slurmd_port < <(python3 -c '
import socket
s = [socket.socket() for _ in range(2)]
for x in s: x.bind(("127.0.0.1", 0))
print(*(x.getsockname()[1] for x in s))')
host="$(hostname -s)"
export SLURM_CONF="$tmp/slurm.conf"
cat > "$SLURM_CONF" <<CONF
# Single-node cluster of tests/slurm/run_sweep_on_slurm.sh
ClusterName=mcusim-test
SlurmctldHost=$host(127.0.0.1)
SlurmUser=root
SlurmdUser=root
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$tmp/munge/munge.sock
StateSaveLocation=$tmp/state
SlurmdSpoolDir=$tmp/spool
SlurmctldPidFile=$tmp/slurmctld.pid
SlurmdPidFile=$tmp/slurmd.pid
SlurmctldLogFile=$tmp/log/slurmctld.log
SlurmdLogFile=$tmp/log/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=none
ReturnToService=2
MinJobAge=600
NodeName=localhost NodeAddr=127.0.0.1 CPUs=2 State=UNKNOWN
PartitionName=test Nodes=localhost Default=YES MaxTime=INFINITE State=UP
CONF
echo "slurm: slurmctld on port $ctld_port, slurmd on port $slurmd_port, files in $tmp"
slurmctld -D -i -f "$SLURM_CONF" >"$tmp/log/slurmctld.out" 2>&1 &
pids+=($!)
slurmd -D -N localhost -f "$SLURM_CONF" >"$tmp/log/slurmd.out" 2>&1 &
pids+=($!)
state=""
for _ in $(seq 120); do
  state="$(sinfo -h -n localhost -o %T 2>/dev/null || true)"
  [ "$state" = idle ] && break
  sleep 0.5
done
[ "$state" = idle ] || fail "the node did not become idle within 60 s (state: '${state:-none}')"
echo "slurm: node localhost idle"

# The reference: the same sweep, unsharded, outside Slurm.
start=$SECONDS
"$mcusim" sweep "${sweep_args[@]}" --jobs 2 --json "$tmp/unsharded.json" -q
echo "unsharded sweep: $((SECONDS - start)) s"

start=$SECONDS
jid="$(sbatch --parsable --array=1-"$shards" --output="$tmp/log/job_%A_%a.out" --chdir="$tmp" \
  "$root/scripts/slurm/sweep.sbatch" "$mcusim" "$tmp/shards" "${sweep_args[@]}")"
echo "sbatch: job array $jid (tasks 1-$shards)"
while [ -n "$(squeue -h -j "$jid" 2>/dev/null)" ]; do
  [ $((SECONDS - start)) -lt "$timeout" ] || { fail "job array $jid still queued or running after $timeout s"; }
  sleep 1
done
echo "slurm: job array $jid done in $((SECONDS - start)) s"
bad=0
for ((i = 1; i <= shards; i++)); do
  info="$(scontrol -o show job "${jid}_$i" 2>/dev/null || true)"
  st="$(grep -o 'JobState=[A-Z_]*' <<<"$info" || echo 'JobState=unknown')"
  ex="$(grep -o ' ExitCode=[0-9:]*' <<<"$info" | tr -d ' ' || echo 'ExitCode=unknown')"
  echo "  array task $i: $st $ex $(grep -o ' BatchHost=[^ ]*' <<<"$info" || true)"
  [ "$st" = JobState=COMPLETED ] && [ "$ex" = ExitCode=0:0 ] || bad=1
done
[ "$bad" -eq 0 ] || { cat "$tmp"/log/job_*.out 2>/dev/null || true; fail "an array task did not complete"; }

"$mcusim" merge "$tmp"/shards/shard-*.json --json "$tmp/merged.json" -q
ls "$tmp"/shards
if cmp "$tmp/unsharded.json" "$tmp/merged.json"; then
  echo "PASS: the merge of $shards Slurm array tasks is byte-identical to the unsharded sweep ($(wc -c <"$tmp/merged.json") bytes, $(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["sweep"]["rows"])' "$tmp/merged.json") rows)"
else
  fail "the merged shards differ from the unsharded sweep"
fi
