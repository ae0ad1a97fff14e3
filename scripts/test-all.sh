#!/usr/bin/env bash
# Runs every test: unit tests, module tests against real PostgreSQL, MariaDB and Redis on
# loopback, the agent-jar checks and the smoke tests that start real JVMs with the agent.
# Suites whose service is down are skipped (and listed at the end), except under CI=true,
# where they fail.
set -uo pipefail
cd "$(dirname "$0")/.."

./mvnw -B -ntp verify "$@"
status=$?

skipped=$(find . -path '*/target/*-reports/*-output.txt' -print0 2>/dev/null \
  | xargs -0 -r grep -h "^SKIPPED SUITE" 2>/dev/null | sort -u)
if [ -n "$skipped" ]; then
  echo
  echo "Suites skipped because a service they need is not running:"
  echo "$skipped" | sed 's/^SKIPPED SUITE /  - /'
fi
exit $status
