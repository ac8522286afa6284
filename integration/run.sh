#!/usr/bin/env bash
# The integration tier: real system components (nginx, redis-server, chromium, other runtimes),
# each suite in its own folder with its own package.json and lockfile, installing sealed-session
# from the tarball `npm pack` makes, the way users get it.
#
#   bash integration/run.sh            every suite
#   bash integration/run.sh redis infra   only these
#
# A suite is a folder here with a package.json whose `test` script runs it. Suites start their own
# servers on free loopback ports with temporary configs and stop them afterwards.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"

pack_dir="$here/.pack"
rm -rf "$pack_dir" && mkdir -p "$pack_dir"
(cd "$root" && npm pack --silent --pack-destination "$pack_dir" >/dev/null)
tarball="$(ls "$pack_dir"/sealed-session-*.tgz)"
cp "$tarball" "$pack_dir/sealed-session.tgz"
echo "integration: packed $(basename "$tarball")"

# `stores` is not a folder here: it is the repository's own test/stores, unit tests of the Redis
# store that need a real redis-server, so they run in this tier and not in `npm test`.
if [ "$#" -gt 0 ]; then suites=("$@"); else
  suites=(stores)
  for dir in "$here"/*/; do [ -f "$dir/package.json" ] && suites+=("$(basename "$dir")"); done
fi

failed=()
for suite in "${suites[@]}"; do
  dir="$here/$suite"
  start=$(date +%s)
  echo "::: integration/$suite"
  if [ "$suite" = stores ]; then run=(bash -c "cd '$root' && npm run --silent test:stores"); else
    run=(bash -c "cd '$dir' && npm ci --no-audit --no-fund --loglevel=error \
        && npm install --no-save --no-audit --no-fund --loglevel=error '$pack_dir/sealed-session.tgz' \
        && npm test")
  fi
  if "${run[@]}"; then
    echo "::: integration/$suite passed in $(( $(date +%s) - start )) s"
  else
    echo "::: integration/$suite FAILED after $(( $(date +%s) - start )) s"
    failed+=("$suite")
  fi
done
passed=$(( ${#suites[@]} - ${#failed[@]} ))
if [ "${#failed[@]}" -gt 0 ]; then echo "integration: failed suites: ${failed[*]}"; fi
# The plain closing line: suites, not tests (each suite's runner printed its own counts above).
echo "integration: $passed passed, ${#failed[@]} failed"
[ "${#failed[@]}" -eq 0 ]
