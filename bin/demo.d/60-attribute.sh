#!/usr/bin/env bash
# Demo stage 60 = plan step `attribute`: the attribution stream (Flink on an embedded MiniCluster) over the inference
# log that stage 50 wrote, to its end (attribute --until-end): every record is validated, traced against its Datanet's
# index, its fee split to the wei between protocol, creator and contributors, and every epoch closed. Idempotent: a
# rerun adds nothing for records already attributed (the stream skips paid inference ids, never reopens a closed epoch).
set -euo pipefail
: "${T:?run through bin/tributary demo}"
# shellcheck disable=SC2206
options=(${DEMO_OPTIONS:-})
# The demo's profile sets short epochs (tributary.attribution.epoch-length-seconds = DEMO_EPOCH_SECONDS, 60) so the
# epochs of the serving stage close within minutes; keep it fixed for a lake.
echo "\$ bin/tributary pipeline step attribute   (epochs of ${DEMO_EPOCH_SECONDS:-60} s, every epoch closed at the end of the log)"
# The embedded Flink cluster logs warnings and shutdown stack traces that say nothing about the attribution: the full
# output goes to DEMO_DIR/logs/60-attribute.log and is printed whole only when the step fails.
mkdir -p "${DEMO_DIR:?}/logs"
full_log="$DEMO_DIR/logs/60-attribute.log"
if ! "$T" pipeline step attribute "${options[@]}" > "$full_log" 2>&1; then
  cat "$full_log"
  exit 1
fi
grep -E '^(attribute|pipeline)[: ]' "$full_log" || true
echo "(Flink's own log lines: $full_log)"

echo "-- closed epochs (attribution_epochs)"
"$T" sql "SELECT epoch, start, inferences, late, fees_wei, inferences_root FROM attribution_epochs ORDER BY epoch" "${options[@]}"
echo "-- where the wei went, per epoch and role (epoch_payouts; each epoch's rows sum to its fees_wei)"
"$T" sql "SELECT p.epoch, p.role, count(*) AS accounts, CAST(sum(CAST(p.wei AS DECIMAL(38,0))) AS STRING) AS wei, first(e.fees_wei) AS epoch_fees FROM epoch_payouts p JOIN attribution_epochs e ON p.epoch = e.epoch GROUP BY p.epoch, p.role ORDER BY p.epoch, p.role" "${options[@]}"
echo "-- rejected log lines (raw bytes kept, with the reason)"
"$T" sql "SELECT source, reason, detail FROM rejected_inferences ORDER BY source" "${options[@]}" 2>/dev/null \
  || echo "none (the stream has written no rejected_inferences table: nothing was rejected)"
