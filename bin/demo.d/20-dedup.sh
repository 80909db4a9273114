#!/usr/bin/env bash
# Demo stage 20 = plan step `dedup`: every Datanet at its latest version deduplicated into the corpus table (normalized
# and near duplicates, each with its canonical: the earliest ingested member of its cluster); then a few near-duplicate
# pairs found in the first Datanet. Idempotent: a re-run on the same version adds nothing.
set -euo pipefail
# shellcheck disable=SC2086
datanets="$("$T" sql "SELECT datanet FROM datanets ORDER BY datanet" --json $DEMO_OPTIONS \
  | grep -o '"datanet" *: *"[a-z0-9-]*"' | sed 's/.*"\([a-z0-9-]*\)"$/\1/')"
if [[ -z "$datanets" ]]; then
  echo "no Datanets in the lake: stage 10 creates them"
  exit 1
fi
echo "\$ bin/tributary pipeline step dedup"
# shellcheck disable=SC2086
"$T" pipeline step dedup $DEMO_OPTIONS 2>&1
echo

first="$(echo "$datanets" | head -n 1)"
echo "near duplicates in Datanet $first (source of the duplicate -> source of its canonical):"
# shellcheck disable=SC2086
"$T" sql "SELECT d.source AS duplicate, c.source AS canonical, round(k.similarity, 3) AS jaccard
  FROM corpus k JOIN contributions d ON d.contribution_id = k.contribution_id AND d.datanet = k.datanet
  JOIN contributions c ON c.contribution_id = k.canonical_id AND c.datanet = k.datanet
  WHERE k.datanet = '$first' AND k.duplicate_kind = 'near' ORDER BY k.similarity DESC LIMIT 8" $DEMO_OPTIONS
