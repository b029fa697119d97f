#!/usr/bin/env bash
# Sets up the machine and runs every test:
#   1. scripts/setup.sh (packages, dockerd);
#   2. builds build/ (Release -O2, Ninja; everything but the unit tests) and build-asan/
#      (ASan+UBSan, line tables only: the unit tests and the fuzz harnesses of fuzz/ only);
#   3. ctest on build/ (the python endpoint's tests in parallel, integration tests one at a time
#      after their fixture scripts/test-services.sh) and, in build-asan/, the sanitized unit
#      tests and the replay of every fuzz corpus (label fuzz-replay).
# Exits non-zero when anything failed; the last line is the summary
# `N passed, N failed, N skipped` (ctest totals of both runs, plus one failure for each build
# that failed; a test that skipped itself, e.g. GTEST_SKIP, or is disabled counts as skipped).
#
# env: JOBS (default 2), DROVER_STATE_DIR (default <repo>/.state), CCACHE_DIR (default
# ~/.cache/ccache: repeated runs and other checkouts under the same parent reuse objects)
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STATE="${DROVER_STATE_DIR:-$REPO/.state}"
JOBS="${JOBS:-2}"
START=$SECONDS

passed=0
failed=0
skipped=0
problems=()

log() { printf '==> test [%dm%02ds]: %s\n' $(((SECONDS - START) / 60)) $(((SECONDS - START) % 60)) "$*"; }

mkdir -p "$STATE"

log "setup ($REPO/scripts/setup.sh)"
if ! bash "$REPO/scripts/setup.sh"; then
  echo "test: ERROR: setup failed; nothing can be built or tested" >&2
  echo "0 passed, 1 failed, 0 skipped"
  exit 1
fi

# build NAME DIR TARGET... [-- CMAKE_ARGS...]: configures and builds; failures are recorded
# and the run goes on (ctest then reports the tests that could not be built).
build() {
  local name="$1" dir="$2"
  shift 2
  local targets=() cmake_args=()
  while (($#)) && [[ "$1" != -- ]]; do
    targets+=("$1")
    shift
  done
  (($#)) && shift
  cmake_args=("$@")
  log "configure $name ($dir)"
  if ! cmake -S "$REPO" -B "$dir" -G Ninja "${cmake_args[@]}" >"$STATE/configure-$name.log" 2>&1; then
    cat "$STATE/configure-$name.log" >&2
    problems+=("configure of $name failed")
    failed=$((failed + 1))
    return 1
  fi
  log "build $name (${targets[*]:-all}, -j$JOBS)"
  local target_args=()
  for target in "${targets[@]}"; do target_args+=(--target "$target"); done
  # -k 0: build everything that can be built, so one broken file costs only its own tests.
  if ! cmake --build "$dir" "${target_args[@]}" -- -j"$JOBS" -k 0; then
    problems+=("build of $name failed")
    failed=$((failed + 1))
    return 1
  fi
}

# run_ctest NAME CTEST_ARGS...: runs ctest, adds its counts to the totals. ctest counts a
# skipped test (SKIP_REGULAR_EXPRESSION, which gtest_discover_tests sets for GTEST_SKIP) among
# the passed ones and leaves disabled ones out; both are in its "did not run" list, which is
# where they are counted from here.
run_ctest() {
  local name="$1" out="$STATE/ctest-$1.log" rc summary total bad skips disabled
  shift
  log "ctest $name: ctest $*"
  set +e
  ctest "$@" 2>&1 | tee "$out"
  rc=${PIPESTATUS[0]}
  set -e
  summary="$(grep -Eo '[0-9]+% tests passed, [0-9]+ tests? failed out of [0-9]+' "$out" | tail -n 1)"
  if [[ -n "$summary" ]]; then
    bad="$(sed -E 's/.* ([0-9]+) tests? failed.*/\1/' <<<"$summary")"
    total="$(sed -E 's/.* out of ([0-9]+)$/\1/' <<<"$summary")"
    skips="$(grep -cE '^[[:space:]]+[0-9]+ - .* \(Skipped\)$' "$out" || true)"
    disabled="$(grep -cE '^[[:space:]]+[0-9]+ - .* \(Disabled\)$' "$out" || true)"
    passed=$((passed + total - bad - skips))
    failed=$((failed + bad))
    skipped=$((skipped + skips + disabled))
    ((bad == 0)) || problems+=("ctest $name: $bad of $total tests failed")
  elif ((rc != 0)); then
    failed=$((failed + 1))
    problems+=("ctest $name failed (exit $rc) without a summary")
  fi
  if ((rc != 0)) && [[ -n "$summary" ]] && ((bad == 0)); then
    failed=$((failed + 1))
    problems+=("ctest $name exited $rc")
  fi
}

# run_gtest_shards NAME BINARY: runs a gtest binary as JOBS shards at once (GTEST_TOTAL_SHARDS),
# each writing a JSON report, and adds its tests to the totals test by test. For the sanitized
# build, where one process per test (ctest's way) costs the binary's start-up, about 2 s for a
# 700 MB executable, 800 times over. A shard that ends without its report (a sanitizer abort)
# counts as one failure more, with its log named.
run_gtest_shards() {
  local name="$1" binary="$2" i pids=() counts
  log "gtest $name: $binary in $JOBS shards"
  for ((i = 0; i < JOBS; i++)); do
    rm -f "$STATE/gtest-$name-$i.json"
    GTEST_TOTAL_SHARDS="$JOBS" GTEST_SHARD_INDEX="$i" \
      "$binary" --gtest_output="json:$STATE/gtest-$name-$i.json" >"$STATE/gtest-$name-$i.log" 2>&1 &
    pids+=($!)
  done
  for ((i = 0; i < JOBS; i++)); do
    if ! wait "${pids[$i]}"; then
      echo "--- $name shard $i of $JOBS failed; its output ($STATE/gtest-$name-$i.log):" >&2
      grep -E '^\[  FAILED  \]|ERROR: (Address|LeakSanitizer)|runtime error' \
        "$STATE/gtest-$name-$i.log" | head -n 40 >&2 || true
      tail -n 30 "$STATE/gtest-$name-$i.log" >&2
    fi
    if [[ ! -s "$STATE/gtest-$name-$i.json" ]]; then
      failed=$((failed + 1))
      problems+=("gtest $name: shard $i of $JOBS ended without its report: $STATE/gtest-$name-$i.log")
    fi
  done
  # passed failed skipped, then the failed tests' names, from every report written.
  counts="$(python3 - "$STATE/gtest-$name" "$JOBS" <<'PY' || true
import json, os, sys
prefix, shards = sys.argv[1], int(sys.argv[2])
passed = failed = skipped = 0
names = []
for i in range(shards):
    path = "%s-%d.json" % (prefix, i)
    if not os.path.exists(path) or os.path.getsize(path) == 0:
        continue
    for suite in json.load(open(path)).get("testsuites", []):
        for case in suite.get("testsuite", []):
            if case.get("failures"):
                failed += 1
                names.append("%s.%s" % (suite["name"], case["name"]))
            elif case.get("result") == "SKIPPED" or case.get("status") == "NOTRUN":
                skipped += 1
            else:
                passed += 1
print(passed, failed, skipped, " ".join(names))
PY
)"
  local p=0 f=0 k=0 names=""
  if [[ -n "$counts" ]]; then
    read -r p f k names <<<"$counts"
  else
    failed=$((failed + 1))
    problems+=("gtest $name: its reports ($STATE/gtest-$name-*.json) could not be read")
  fi
  echo "gtest $name: $p passed, $f failed, $k skipped"
  passed=$((passed + p))
  failed=$((failed + f))
  skipped=$((skipped + k))
  ((f == 0)) || problems+=("gtest $name: $f tests failed: $names")
}

# ccache (Debian's) makes a repeated run rebuild only what changed; CCACHE_BASEDIR lets work
# trees beside this one share its objects.
launcher=()
if command -v ccache >/dev/null; then
  export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$(dirname "$REPO")}"
  launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
fi

main_built=true
# Release at -O2 (the optimization of the default RelWithDebInfo, so the same warnings) without
# debug info, which makes the Boost.Beast-heavy sources markedly cheaper to build.
# DROVER_TEST_HOOKS: the crash tests need drover-agent's test-only crash switch. The unit tests
# are built and run once, under the sanitizers below (tests/CMakeLists.txt says why).
build main "$REPO/build" -- "${launcher[@]}" -DCMAKE_BUILD_TYPE=Release "-DCMAKE_CXX_FLAGS_RELEASE=-O2 -DNDEBUG" \
  -DDROVER_TEST_HOOKS=ON -DDROVER_UNIT_TESTS=OFF || main_built=false
asan_built=true
# -g1: line tables are all a sanitizer's report needs, and a cold build is about 8% faster than with -g.
build asan "$REPO/build-asan" unit_tests release_agent_tests fuzz_harnesses -- "${launcher[@]}" -DCMAKE_BUILD_TYPE=Debug \
  -DCMAKE_CXX_FLAGS_DEBUG=-g1 -DDROVER_SANITIZE=ON -DDROVER_TEST_HOOKS=ON || asan_built=false

if [[ -f "$REPO/build/CTestTestfile.cmake" ]]; then
  # --timeout only bounds tests that set no TIMEOUT of their own.
  run_ctest main --test-dir "$REPO/build" --output-on-failure --no-tests=error -j"$JOBS" \
    --timeout 300
fi
if [[ -f "$REPO/build-asan/CTestTestfile.cmake" ]]; then
  export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}"
  export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
  # The sanitized unit tests in shards (run_gtest_shards says why); ctest runs the fuzz replays.
  for binary in unit_tests release_agent_tests; do
    if [[ -x "$REPO/build-asan/tests/$binary" ]]; then
      run_gtest_shards "asan-$binary" "$REPO/build-asan/tests/$binary"
    else
      failed=$((failed + 1))
      problems+=("asan: $binary was not built")
    fi
  done
  run_ctest asan --test-dir "$REPO/build-asan" -L '^fuzz-replay$' --output-on-failure \
    --no-tests=error -j"$JOBS" --timeout 300
  unset ASAN_OPTIONS UBSAN_OPTIONS
fi

elapsed=$((SECONDS - START))
echo
log "finished in $((elapsed / 60))m$((elapsed % 60))s (builds: main=$main_built asan=$asan_built)"
for problem in "${problems[@]}"; do echo "test: FAILED: $problem"; done
echo "$passed passed, $failed failed, $skipped skipped"
((failed == 0))
