#!/usr/bin/env bash
# Fuzzes every harness of fuzz/ with libFuzzer under ASan+UBSan and prints one line per target:
#   <target>  executions <N>  crashes <N>  <seconds>s  <exec/s> exec/s
# then a total line. Each target runs until RUNS executions (default 1,000,000) or its first
# crash. It fuzzes a copy of its seed corpus (fuzz/corpus/<target>) in a temporary directory,
# so the repository's corpus only grows by hand; a crashing input is kept in
# build-fuzz/crashes/<target>/ (fix the bug, then add the input to the corpus).
#
# Usage: bench/fuzz.sh [--runs N] [--no-build] [TARGET...]   (targets: fuzz/<target>_fuzz.cc)
# Builds build-fuzz/ with clang++ (-DDROVER_FUZZ=ON), installing Debian's clang when it is
# missing; --no-build fuzzes the binaries build-fuzz/ already has. Needs no Docker.
# Exit: 0 when every target ran its executions with no crash.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="$REPO/build-fuzz"
RUNS=1000000
BUILD_FIRST=true

usage() { sed -n '2,13p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }

targets=()
while (($#)); do
  case "$1" in
    --runs)
      [[ $# -ge 2 && "$2" =~ ^[1-9][0-9]*$ ]] || { echo "fuzz: --runs needs a positive number" >&2; exit 2; }
      RUNS="$2"
      shift 2
      ;;
    --no-build) BUILD_FIRST=false; shift ;;
    -h | --help) usage; exit 0 ;;
    -*) echo "fuzz: unknown option $1 (see --help)" >&2; exit 2 ;;
    *) targets+=("$1"); shift ;;
  esac
done

all_targets=()
for harness in "$REPO"/fuzz/*_fuzz.cc; do
  name="$(basename "$harness" _fuzz.cc)"
  all_targets+=("$name")
done
((${#targets[@]})) || targets=("${all_targets[@]}")
for target in "${targets[@]}"; do
  if [[ ! -f "$REPO/fuzz/${target}_fuzz.cc" ]]; then
    echo "fuzz: no harness fuzz/${target}_fuzz.cc (targets: ${all_targets[*]})" >&2
    exit 2
  fi
done

build() {
  if ! command -v clang++ >/dev/null; then
    echo "fuzz: installing clang (libFuzzer) with apt-get" >&2
    apt-get install -y clang >&2
  fi

  local launcher=() build_targets=() target
  if command -v ccache >/dev/null; then
    export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$(dirname "$REPO")}"
    launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  fi
  # -O1 with line tables: what libFuzzer's documentation suggests, symbolized reports, and a
  # quicker build than -O2 -g on a small machine.
  echo "fuzz: building ${targets[*]} in $BUILD (clang++, libFuzzer, ASan+UBSan)" >&2
  mkdir -p "$BUILD"
  cmake -S "$REPO" -B "$BUILD" -G Ninja "${launcher[@]}" -DCMAKE_CXX_COMPILER=clang++ \
    -DDROVER_FUZZ=ON -DCMAKE_BUILD_TYPE=Release "-DCMAKE_CXX_FLAGS_RELEASE=-O1 -gline-tables-only" \
    >"$BUILD/configure.log" 2>&1 ||
    { cat "$BUILD/configure.log" >&2; exit 1; }

  for target in "${targets[@]}"; do build_targets+=(--target "fuzz_$target"); done
  cmake --build "$BUILD" "${build_targets[@]}" -- -j"${JOBS:-2}" >&2
}
if [[ "$BUILD_FIRST" == true ]]; then
  build
fi
for target in "${targets[@]}"; do
  if [[ ! -x "$BUILD/fuzz/fuzz_$target" ]]; then
    echo "fuzz: $BUILD/fuzz/fuzz_$target is not built (run without --no-build)" >&2
    exit 2
  fi
done

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# A sanitizer report is a crash; leaks count too (a parser that leaks on bad input would grow a
# long-running drover).
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

total_runs=0
total_crashes=0
total_seconds=0
failed=0
for target in "${targets[@]}"; do
  corpus="$work/$target/corpus"
  artifacts="$BUILD/crashes/$target"
  mkdir -p "$corpus" "$artifacts"
  cp -r "$REPO/fuzz/corpus/$target/." "$corpus/"
  log="$work/$target/fuzz.log"
  start=$EPOCHREALTIME
  set +e
  "$BUILD/fuzz/fuzz_$target" -runs="$RUNS" -print_final_stats=1 -timeout=10 \
    -rss_limit_mb=2048 -artifact_prefix="$artifacts/" "$corpus" >"$log" 2>&1
  rc=$?
  set -e
  end=$EPOCHREALTIME
  seconds="$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }')"
  runs="$(sed -nE 's/^stat::number_of_executed_units: *([0-9]+).*/\1/p' "$log" | tail -n 1)"
  runs="${runs:-0}"
  crashes="$(find "$artifacts" -maxdepth 1 -type f -newer "$corpus" | wc -l)"
  if ((rc != 0 && crashes == 0)); then crashes=1; fi
  rate="$(sed -nE 's/^stat::average_exec_per_sec: *([0-9]+).*/\1/p' "$log" | tail -n 1)"
  printf '%-16s executions %9d  crashes %d  %7ss  %7s exec/s\n' "$target" "$runs" "$crashes" \
    "$seconds" "${rate:-0}"
  if ((crashes > 0 || runs < RUNS)); then
    failed=1
    echo "fuzz: $target: libFuzzer exited $rc after $runs executions; its log:" >&2
    tail -n 40 "$log" >&2
  fi
  total_runs=$((total_runs + runs))
  total_crashes=$((total_crashes + crashes))
  total_seconds="$(awk -v a="$total_seconds" -v b="$seconds" 'BEGIN { printf "%.1f", a + b }')"
done
printf '%-16s executions %9d  crashes %d  %7ss\n' "total" "$total_runs" "$total_crashes" \
  "$total_seconds"
exit "$failed"
