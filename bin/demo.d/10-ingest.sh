#!/usr/bin/env bash
# Demo stage 10: the sample world. Signed contributions from the SPDX license list (real text, CC0) by
# 30 generated contributors, with re-submissions, reformatted copies and bad lines; ingested into
# Datanet `legal`. Idempotent: a second run ingests nothing new.
set -euo pipefail
# shellcheck disable=SC2086
$T sample-world --out "$DEMO_DIR" --json $DEMO_OPTIONS > "$DEMO_DIR/sample-world.json"
owner="$(node -e 'console.log(require(process.argv[1]).owner)' "$DEMO_DIR/sample-world.json")"
echo "sample world: $(node -e 'const w=require(process.argv[1]);console.log(`${w.lines} lines, ${w.licenses} license texts, ${w.contributors} contributors, ${w.resubmissions} re-submissions, ${w.reformatted_copies} reformatted copies, ${w.bad_lines} bad lines`)' "$DEMO_DIR/sample-world.json")"
# shellcheck disable=SC2086
if ! $T datanet show --datanet legal $DEMO_OPTIONS >/dev/null 2>&1; then
  $T datanet create --id legal --name "Open source licenses" --topic legal --owner "$owner" $DEMO_OPTIONS
fi
# shellcheck disable=SC2086
$T ingest --datanet legal --input "$DEMO_DIR/legal" $DEMO_OPTIONS
# shellcheck disable=SC2086
$T sql "SELECT d.datanet, d.topic, count(c.contribution_id) AS contributions, count(DISTINCT c.contributor) AS contributors,
               (SELECT count(*) FROM quarantine q WHERE q.datanet = d.datanet) AS quarantined,
               (SELECT count(*) FROM batches b WHERE b.datanet = d.datanet) AS batches
        FROM datanets d LEFT JOIN contributions c ON c.datanet = d.datanet GROUP BY d.datanet, d.topic" $DEMO_OPTIONS
