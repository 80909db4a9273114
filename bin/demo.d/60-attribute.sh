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

# The stream's summary line says how many lines were rejected in all; the rejected_inferences table exists once one was.
rejected="$(sed -n 's/^attribute: .*, \([0-9][0-9]*\) rejected, .*/\1/p' "$full_log" | tail -1)"
queries=("
-- closed epochs (attribution_epochs)
  SELECT epoch, start, inferences, late, fees_wei, inferences_root FROM attribution_epochs ORDER BY epoch"
  "
-- where the wei went, per epoch and role (epoch_payouts; each epoch's rows sum to its fees_wei)
  SELECT p.epoch, p.role, count(*) AS accounts, CAST(sum(CAST(p.wei AS DECIMAL(38,0))) AS STRING) AS wei, first(e.fees_wei) AS epoch_fees FROM epoch_payouts p JOIN attribution_epochs e ON p.epoch = e.epoch GROUP BY p.epoch, p.role ORDER BY p.epoch, p.role"
  "
-- traced spans per epoch (attributions of kind span: completion text found verbatim in a contribution)
  SELECT epoch, count(DISTINCT inference_id) AS inferences_quoting, count(*) AS credits, count(DISTINCT account) AS accounts, CAST(sum(CAST(wei AS DECIMAL(38,0))) AS STRING) AS wei FROM attributions WHERE kind = 'span' GROUP BY epoch ORDER BY epoch")
if [[ "${rejected:-0}" != 0 ]]; then
  queries+=("
-- rejected log lines (raw bytes kept, with the reason)
  SELECT source, reason, detail FROM rejected_inferences ORDER BY source")
fi
# One `sql` call (one Spark start) for every table; each query's leading comment is printed as its heading (after a
# newline: an argument that starts with "-" would be read as an option).
"$T" sql "${queries[@]}" "${options[@]}"
if [[ "${rejected:-0}" == 0 ]]; then
  echo "-- rejected log lines: none (the stream rejected no line)"
fi
