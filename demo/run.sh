#!/usr/bin/env bash
# Runs the demo app with the obs-agent attached, sends it some traffic and shows the metrics it
# produced. The README's first command is:
#
#     ./mvnw -q install -DskipTests && demo/run.sh
#
# The app then keeps running in the foreground until Ctrl-C; with --once (or DEMO_ONCE=1) it is
# stopped right after the report, for CI. Exits non-zero if anything does not work.
#
# Settings (environment):
#   DEMO_PORT                    the app's HTTP port (default 8080)
#   OBS_METRICS_PORT             the agent's side port (default 9464); any obs.* key works as
#                                an environment variable, see CONTRACT.md
#   OTEL_EXPORTER_OTLP_ENDPOINT  send spans to this collector; without it tracing is off, so
#                                the demo does not complain about a collector that is not there
#   DEMO_REDIS_HOST, DEMO_REDIS_PORT  the Redis of /owners/{id}/visits (default 127.0.0.1:6379);
#                                without one that endpoint answers 503 and the rest works
#   JAVA                         the java executable (default: $JAVA_HOME/bin/java, else java)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
AGENT_JAR="$ROOT/agent/target/obs-agent.jar"
APP_JAR="$ROOT/smoke-tests/apps/demo-app/target/demo-app.jar"
LOG_DIR="$ROOT/target/demo-run"
APP_PORT="${DEMO_PORT:-8080}"
START_TIMEOUT_SECONDS=90
ONCE="${DEMO_ONCE:-0}"

for arg in "$@"; do
  case "$arg" in
    --once) ONCE=1 ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) echo "unknown argument: $arg (try --help)" >&2; exit 2 ;;
  esac
done

fail() {
  echo "demo: $*" >&2
  exit 1
}

for jar in "$AGENT_JAR" "$APP_JAR"; do
  [[ -f "$jar" ]] || fail "$jar is missing; build it first: ./mvnw -q install -DskipTests"
done
command -v curl >/dev/null || fail "curl is needed"
if [[ -n "${JAVA:-}" ]]; then
  java="$JAVA"
elif [[ -n "${JAVA_HOME:-}" ]]; then
  java="$JAVA_HOME/bin/java"
else
  java="java"
fi

agent_args=""
if [[ -z "${OTEL_EXPORTER_OTLP_ENDPOINT:-}" ]]; then
  agent_args="=otel.traces.exporter=none"
fi

mkdir -p "$LOG_DIR"
app_out="$LOG_DIR/app.stdout.log"
app_err="$LOG_DIR/app.stderr.log"
"$java" "-javaagent:$AGENT_JAR$agent_args" "-Ddemo.port=$APP_PORT" -jar "$APP_JAR" >"$app_out" 2>"$app_err" &
app_pid=$!

stop_app() {
  if kill -0 "$app_pid" 2>/dev/null; then
    kill "$app_pid" 2>/dev/null || true
    wait "$app_pid" 2>/dev/null || true
  fi
}
trap stop_app EXIT
trap 'echo; echo "demo: stopping"; exit 0' INT TERM

echo "Starting the demo app with the obs-agent (logs in ${LOG_DIR#"$ROOT"/}) ..."
deadline=$((SECONDS + START_TIMEOUT_SECONDS))
until grep -q '^DEMO_PORT=' "$app_out" 2>/dev/null; do
  if ! kill -0 "$app_pid" 2>/dev/null; then
    tail -n 20 "$app_err" >&2
    fail "the app exited during start-up (port $APP_PORT in use?)"
  fi
  ((SECONDS < deadline)) || fail "the app did not start within $START_TIMEOUT_SECONDS s"
  sleep 0.2
done
app_port="$(sed -n 's/^DEMO_PORT=//p' "$app_out" | head -n 1)"

start_line="$(grep -m 1 '^\[obs-agent\] INFO obs-agent .* started in' "$app_err" || true)"
[[ -n "$start_line" ]] || { grep '^\[obs-agent\]' "$app_err" >&2 || true; fail "the agent did not start"; }
metrics_url="$(sed -n 's/.*; metrics: \(http[^;]*\);.*/\1/p' <<<"$start_line")"
[[ -n "$metrics_url" ]] || fail "the agent serves no metrics: $start_line"
# The start line names the address bound (0.0.0.0 by default): curl goes through loopback.
metrics_port="${metrics_url##*:}"
metrics_port="${metrics_port%%/*}"
local_metrics_url="http://localhost:$metrics_port/metrics"
echo "$start_line"

# Each request and the status it must get (alternatives separated by |): the failures are part
# of the demo. /owners/{id}/pets runs SQL on an in-memory H2 (owner 99 does not exist: its
# audit INSERT fails on a foreign key, a 404); /owners/{id}/visits counts in Redis, 503 without one;
# /assistant/* asks an LLM: the demo's own fake OpenAI-compatible provider unless OPENAI_API_KEY
# is set (a 429 from it is a 502 here; an unknown model is an unpriced call).
requests=(
  "/hello 200" "/hello 200" "/hello 200"
  "/api/owners/7?page=2 200"
  "/monthly-report.do 200"
  "/async 200"
  "/owners/42 200" "/owners/43 200"
  "/owners/1/pets 200" "/owners/2/pets 200" "/owners/99/pets 404"
  "/owners/7/visits 200|503" "/owners/7/visits 200|503"
  "/assistant/ask 200" "/assistant/stream 200"
  "/assistant/ask?q=rate+limit+me 502" "/assistant/ask?model=demo-local-model 200"
  "/shop/hello 200"
  "/shop/mvc/items/9 200"
  "/teapot 418"
  "/fail 500"
)
echo
echo "Sending traffic to http://localhost:$app_port ..."
for request in "${requests[@]}"; do
  read -r path expected <<<"$request"
  status="$(curl -s -o /dev/null -w '%{http_code}' "http://localhost:$app_port$path")" \
    || fail "GET http://localhost:$app_port$path failed (curl exit $?)"
  note=""
  if [[ "$path" == */visits && "$status" == "503" ]]; then
    note="  (no Redis at ${DEMO_REDIS_HOST:-127.0.0.1}:${DEMO_REDIS_PORT:-6379}: the failed INCR is recorded)"
  fi
  printf '  GET %-38s -> %s%s\n' "$path" "$status" "$note"
  [[ "|$expected|" == *"|$status|"* ]] || fail "GET $path answered $status, expected $expected"
done

# Async requests are recorded when they complete, a moment after the response.
metrics=""
deadline=$((SECONDS + 10))
until grep -q 'http_route="/async"' <<<"$metrics"; do
  ((SECONDS < deadline)) || fail "no request metrics at $local_metrics_url"
  metrics="$(curl -sf "$local_metrics_url")" || fail "cannot read $local_metrics_url"
  sleep 0.2
done

echo
echo "Request counts by route, from $local_metrics_url:"
grep '^http_server_request_duration_seconds_count{' <<<"$metrics" | grep -v '"_other"' | sed 's/^/  /'
echo
# Series that counted nothing yet (a success series next to a failed one) are left out.
db_counts="$(grep '^db_client_operation_duration_seconds_count{' <<<"$metrics" | grep -v '"_other"' \
  | grep -v ' 0\(\.0\)\?$' || true)"
[[ -n "$db_counts" ]] || fail "no SQL or Redis metrics at $local_metrics_url"
echo "SQL statements (those that set up the schema at start among them) and Redis commands:"
sed 's/^/  /' <<<"$db_counts"
echo
llm_lines="$(grep -E '^(gen_ai_client_token_usage_sum|gen_ai_client_cost_usd_total|obs_llm_unpriced_requests_total)\{' <<<"$metrics" \
  | grep -v '"_other"' | grep -v ' 0\(\.0\)\?$' || true)"
[[ -n "$llm_lines" ]] || fail "no LLM metrics at $local_metrics_url"
echo "LLM calls: tokens, cost in USD, unpriced models:"
sed 's/^/  /' <<<"$llm_lines"
echo
echo "Also there: latency buckets (http_server_request_duration_seconds_bucket), requests in"
echo "flight (http_server_active_requests), JVM metrics (jvm_*), and exemplars linking buckets"
echo "to traces when scraped as OpenMetrics:"
echo "  curl -H 'Accept: application/openmetrics-text; version=1.0.0' $local_metrics_url"
if [[ -n "${OTEL_EXPORTER_OTLP_ENDPOINT:-}" ]]; then
  echo "Spans go to $OTEL_EXPORTER_OTLP_ENDPOINT."
else
  echo "Tracing is off; set OTEL_EXPORTER_OTLP_ENDPOINT=http://<collector>:4318 to send spans."
fi

if [[ "$ONCE" == "1" ]]; then
  echo
  echo "demo: done (--once)"
  exit 0
fi
echo
echo "The app is at http://localhost:$app_port (try /owners/7, /owners/1/pets or /fail); press Ctrl-C to stop."
wait "$app_pid" || fail "the app exited (see ${LOG_DIR#"$ROOT"/})"
