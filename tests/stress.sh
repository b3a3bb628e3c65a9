#!/usr/bin/env bash
# Runs the README's test command N times, each on a clean clone of the committed HEAD, and prints
# "N passed, M failed" with the names of the tests that failed. With --neighbour, a memory- and
# CPU-heavy program runs beside every run: it allocates and frees 300 MiB in a loop, keeping a core
# busy, as another test assembly or service would on a shared machine.
#
#   tests/stress.sh [-n RUNS] [--neighbour] [--keep]
#
# Each run's log is kept in the work folder printed at the start; --keep keeps the clone too.
set -uo pipefail

runs=10
neighbour=false
keep=false
while [ $# -gt 0 ]; do
  case "$1" in
    -n) runs="$2"; shift 2 ;;
    --neighbour) neighbour=true; shift ;;
    --keep) keep=true; shift ;;
    -h|--help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "stress.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
case "$runs" in ''|*[!0-9]*|0) echo "stress.sh: -n takes a whole number above 0" >&2; exit 2 ;; esac

repo=$(git -C "$(dirname "$0")" rev-parse --show-toplevel) || exit 2
test_command=$(grep -oE 'dotnet test [^`]*' "$repo/README.md" | head -1)
[ -n "$test_command" ] || { echo "stress.sh: README.md names no 'dotnet test' command" >&2; exit 2; }
work=$(mktemp -d "${TMPDIR:-/tmp}/mpr-stress.XXXXXX")
echo "stress: $runs runs of '$test_command' on clean clones of $(git -C "$repo" rev-parse --short HEAD)$($neighbour && echo ', beside a heavy neighbour'); logs in $work"

neighbour_pid=
stop_neighbour() {
  if [ -n "$neighbour_pid" ]; then
    kill -- -"$neighbour_pid" 2>/dev/null
    wait "$neighbour_pid" 2>/dev/null
    neighbour_pid=
  fi
}
trap 'stop_neighbour; $keep || rm -rf "$work/clone"' EXIT
trap 'exit 130' INT TERM

if $neighbour; then
  # tail -c buffers the last 300 MiB of a pipe in memory: each pass allocates, touches and frees it.
  set -m
  ( while :; do head -c 300M /dev/zero | tail -c 300M >/dev/null; done ) &
  neighbour_pid=$!
  set +m
fi

passed=0
failed=0
declare -A failures=()
for run in $(seq 1 "$runs"); do
  rm -rf "$work/clone"
  git clone -q "$repo" "$work/clone" || exit 2
  log="$work/run-$run.log"
  start=$(date +%s)
  if (cd "$work/clone" && CI=true $test_command >"$log" 2>&1); then
    passed=$((passed + 1))
    verdict=passed
  else
    failed=$((failed + 1))
    verdict=failed
    # xUnit's console logger marks each failing test "Failed <name> [<duration>]".
    while read -r name; do
      failures["$name"]+="$run "
    done < <(grep -oE '^\s+Failed [^ ]+' "$log" | awk '{print $2}' | sort -u)
  fi
  echo "run $run: $verdict in $(( $(date +%s) - start )) s"
done

stop_neighbour
for name in "${!failures[@]}"; do
  echo "failed: $name (runs ${failures[$name]% })"
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
