#!/usr/bin/env bash
# scripts/scale.sh — scale runs of `planrep collect`, reproducible.
#
# For each size N (default 1000 and 10000; 100000 takes about half an hour on
# two cores, most of it simulating), it generates the returns of N/28 units
# for each of the 28 lead departments with faults (planrep simulate --scale
# N/28 --faults 0.05 --seed 1, reused when the folder already exists; the
# simulated 区县 send their own returns on top, so 1000 gives 1,404 returns
# and 10000 gives 13,962), collects them (--no-db: the store is timed on its
# own), and runs the floor program (scripts/floor: inflate every entry of
# every return and scan its bytes, nothing else) over the same returns. It
# prints, per size:
#
#   returns, collect wall time, collect CPU (user+sys) in ms per return,
#   the floor's CPU in ms per return, their ratio, collect's peak RSS and
#   the share of time the garbage collector took (GODEBUG=gctrace's last figure),
#
# and the machine and date, as a Markdown table. CPU time is what to compare
# on a shared machine; wall time is shown too. The floor and collect run
# alternately, -r times each (default 3), and each figure is the run of least
# CPU: the floor costs well under a second at 1,000 returns, and a single run
# of it varies by a third with whatever else the machine does.
#
# A size above 10000 is made of as many copies of the 10000 returns as it
# takes to reach the size, each copy in a folder of its own (resends of the
# same units; 100000 gives 8 copies, 111,696 returns): simulating 100,000
# distinct units takes hours on two cores, and a resend costs collect what a
# first return costs (every return is read and checked).
#
# usage: scripts/scale.sh [-d WORKDIR] [-b PLANREP_BINARY] [-r RUNS] [SIZE...]
#   -b times another build of planrep (an older commit, for a before/after).
#   -r runs each program RUNS times and keeps the run of least CPU.
set -euo pipefail

work=${TMPDIR:-/tmp}/planrep-scale
bin=
runs=3
while [[ ${1:-} == -* ]]; do
	case $1 in
	-d) work=$2 ;;
	-b) bin=$2 ;;
	-r) runs=$2 ;;
	*) echo "usage: scripts/scale.sh [-d WORKDIR] [-b PLANREP_BINARY] [-r RUNS] [SIZE...]" >&2; exit 2 ;;
	esac
	shift 2
done
sizes=("$@")
[[ ${#sizes[@]} -gt 0 ]] || sizes=(1000 10000)
[[ -x /usr/bin/time ]] || { echo "scale.sh needs GNU time (/usr/bin/time; apt-get install time)" >&2; exit 2; }

repo=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$work"
(cd "$repo" && go build -o "$work/planrep" ./cmd/planrep && go build -o "$work/floor" ./scripts/floor)
gen=$work/planrep # simulate always with this build
run=${bin:-$work/planrep}
nodb=()
if "$run" collect --help 2>&1 | grep -q -- --no-db; then nodb=(--no-db); fi

# measure OUT CMD... runs CMD under GNU time; sets wall, cpu (seconds) and rss (KB).
measure() {
	local out=$1
	shift
	/usr/bin/time -f '%e %U %S %M' -o "$out.time" "$@" >"$out.stdout" 2>"$out.stderr" || true
	read -r wall user sys rss < <(tail -n 1 "$out.time") # GNU time notes a non-zero exit above
	cpu=$(echo "$user + $sys" | bc -l)
}

rows=()
for n in "${sizes[@]}"; do
	base=$n
	((n <= 10000)) || base=10000
	scale=$(((base + 27) / 28))
	dir=$work/s$base
	if [[ ! -f $dir/simulate.json ]]; then
		rm -rf "$dir"
		echo "simulating $base returns (--scale $scale) in $dir …" >&2
		"$gen" simulate --period 2025Q3 --scale "$scale" --faults 0.05 --seed 1 -o "$dir" >/dev/null
	fi
	if ((n > base)); then
		have=$(find "$dir/returns" -name '*.xlsx' | wc -l) # 区县 come on top of the base
		copies=$(((n + have - 1) / have))
		big=$work/s$n
		if [[ ! -d $big/returns/copy$copies ]]; then
			rm -rf "$big"
			mkdir -p "$big/returns"
			for ((k = 1; k <= copies; k++)); do cp -al "$dir/returns" "$big/returns/copy$k"; done
			cp "$dir/plan.yaml" "$big/"
			cp "$dir"/*.txt "$big/" 2>/dev/null || true
		fi
		dir=$big
	fi
	count=$(find "$dir/returns" -name '*.xlsx' | wc -l)
	floor_cpu= best_cpu= best_wall= best_rss= gc=
	for ((r = 1; r <= runs; r++)); do
		echo "floor over $count returns ($r/$runs) …" >&2
		measure "$work/floor-$n" "$work/floor" "$dir/returns"
		if [[ -z $floor_cpu ]] || (($(echo "$cpu < $floor_cpu" | bc -l))); then floor_cpu=$cpu; fi
		echo "collect over $count returns ($r/$runs) …" >&2
		rm -rf "$work/out-$n"
		GODEBUG=gctrace=1 measure "$work/collect-$n" "$run" collect "${nodb[@]}" --plan "$dir/plan.yaml" -o "$work/out-$n" "$dir/returns"
		if [[ -z $best_cpu ]] || (($(echo "$cpu < $best_cpu" | bc -l))); then
			best_cpu=$cpu best_wall=$wall best_rss=$rss
			gc=$(grep -o '@[0-9.]*s [0-9]*%' "$work/collect-$n.stderr" | tail -1 | awk '{print $2}')
		fi
	done
	cpu=$best_cpu wall=$best_wall rss=$best_rss
	feedback=$(find "$work/out-$n/反馈" -name '*.xlsx' 2>/dev/null | wc -l)
	rows+=("$(printf '| %d | %d | %.1f s | %.2f | %.2f | %.1f× | %d MB | %s |' "$count" "$feedback" "$wall" \
		"$(echo "$cpu * 1000 / $count" | bc -l)" "$(echo "$floor_cpu * 1000 / $count" | bc -l)" \
		"$(echo "$cpu / $floor_cpu" | bc -l)" "$((rss / 1024))" "${gc:-0%}")")
done

echo
echo "$run (tree $(cd "$repo" && git describe --always --dirty 2>/dev/null || echo '?')), $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -g | awk '/Mem:/{print $2}') GB, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| returns | feedback copies | collect wall | collect CPU ms/return | floor CPU ms/return | ratio | peak RSS | GC |"
echo "|---|---|---|---|---|---|---|---|"
printf '%s\n' "${rows[@]}"
