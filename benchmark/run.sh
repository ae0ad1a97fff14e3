#!/usr/bin/env bash
# The overhead benchmark (issue 7): the demo app with no agent, with obs-agent and with the
# OpenTelemetry Java agent, side by side. One command, from a clean clone:
#
#     benchmark/run.sh            # quick mode (default): about 10 minutes with the build
#     benchmark/run.sh --full     # more and longer runs, for figures worth publishing
#     benchmark/run.sh --quick --profile   # and list obs-agent's JFR hot spots
#     benchmark/run.sh --profile-only      # just the hot spots, no comparison
#
# It builds the agent, the demo app and the harness (the OpenTelemetry agent comes from Maven
# Central at the version pinned in the parent pom), then runs the arms in turn and writes
# results.md, chart.png and raw.csv to benchmark/results/<date>-<mode>/ (ignored by git).
#
# Needs: a JDK 17+ (java, jcmd), wrk (Debian package "wrk"; installed here when missing and
# apt-get can), and Redis on 127.0.0.1:6379 for the redis endpoint (DEMO_REDIS_HOST and
# DEMO_REDIS_PORT move it; --endpoints=hello,sql leaves it out).
#
# Options after the mode are passed to the harness (dev.obsagent.benchmark.Settings):
#   --runs=N --warmup-seconds=N --measure-seconds=N --threads=N --connections=N --heap=512m
#   --startups=N              start-ups per arm beyond the runs, timed to the first response
#                             (--heap sets -Xms and -Xmx alike; the heap is pre-touched)
#   --arms=obs,otel           the arms besides "no agent"
#   --endpoints=hello,sql     only these endpoints
#   --endpoint=llm=/path      one more endpoint (the hook for the LLM endpoint)
#   --app-option=-Dkey=value  one more JVM option for the app, in every arm
#   --skip-build              use the jars already built
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

build=1
harness_args=()
for arg in "$@"; do
  case "$arg" in
    -h|--help) sed -n '2,26p' "$0"; exit 0 ;;
    --skip-build) build=0 ;;
    *) harness_args+=("$arg") ;;
  esac
done

fail() {
  echo "benchmark: $*" >&2
  exit 1
}

if [[ -n "${JAVA_HOME:-}" ]]; then
  java="$JAVA_HOME/bin/java"
else
  java="$(command -v java || true)"
fi
[[ -x "$java" ]] || fail "no java found: set JAVA_HOME or put a JDK 17+ on the PATH"
[[ -x "$(dirname "$(readlink -f "$java")")/jcmd" ]] || fail "$java has no jcmd beside it: a full JDK is needed (JFR)"

if ! command -v wrk >/dev/null; then
  if [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null; then
    echo "benchmark: installing wrk (apt-get)" >&2
    apt-get update -qq && apt-get install -y -qq wrk >/dev/null
  fi
  command -v wrk >/dev/null || fail "wrk is needed: apt-get install wrk (or your system's package)"
fi

if ((build)); then
  echo "benchmark: building the agent, the demo app and the harness" >&2
  # A reactor build of just what the benchmark needs; -Pbenchmark adds the harness module.
  ./mvnw -B -ntp -q -Pbenchmark -pl agent,smoke-tests/apps/demo-app,benchmark -am package -DskipTests
fi

agent_jar="$ROOT/agent/target/obs-agent.jar"
app_jar="$ROOT/smoke-tests/apps/demo-app/target/demo-app.jar"
otel_jar="$ROOT/benchmark/target/agents/opentelemetry-javaagent.jar"
for jar in "$agent_jar" "$app_jar" "$otel_jar"; do
  [[ -f "$jar" ]] || fail "$jar is missing: run without --skip-build"
done
otel_version="$(sed -n 's:.*<opentelemetry-javaagent.version>\(.*\)</opentelemetry-javaagent.version>.*:\1:p' pom.xml)"

exec "$java" -Djava.awt.headless=true "-Dbench.otel.version=$otel_version" \
  -cp "$ROOT/benchmark/target/classes:$ROOT/benchmark/target/lib/*" \
  dev.obsagent.benchmark.BenchmarkMain \
  "--app-jar=$app_jar" "--obs-agent-jar=$agent_jar" "--otel-agent-jar=$otel_jar" \
  "--results=$ROOT/benchmark/results" \
  ${harness_args[@]+"${harness_args[@]}"}
