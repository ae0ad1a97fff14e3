#!/bin/sh
# Regenerates generated/ (PrometheusRule and dashboard ConfigMaps) from the one source of truth:
# ../prometheus/rules/*.rules.yml and ../grafana/dashboards/*.json. Run it after editing either;
# the monitoring module's tests fail while generated/ is out of date. Needs a JDK 17+.
set -eu
cd "$(dirname "$0")/.."
exec java src/main/java/dev/obsagent/monitoring/KubernetesManifests.java .
