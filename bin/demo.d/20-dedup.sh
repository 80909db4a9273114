#!/usr/bin/env bash
# Demo stage 20 = plan step `dedup`: every Datanet at its latest version deduplicated into the corpus table (normalized
# and near duplicates, each with its canonical: the earliest ingested member of its cluster); then a few near-duplicate
# pairs found in the sample world's Datanet. Idempotent: a re-run on the same version adds nothing.
set -euo pipefail
: "${T:?run through bin/tributary demo}"
source "$(dirname "${BASH_SOURCE[0]}")/demo-lib.bash"
# shellcheck disable=SC2206
OPTIONS=(${DEMO_OPTIONS:-})
echo "\$ bin/tributary pipeline step dedup"
"$T" pipeline step dedup "${OPTIONS[@]}" 2>&1
echo

first="$(demo_datanets | head -n 1)"
"$T" sql "
-- near duplicates in Datanet $first (source of the duplicate -> source of its canonical):
  SELECT d.source AS duplicate, c.source AS canonical, round(k.similarity, 3) AS jaccard
  FROM corpus k JOIN contributions d ON d.contribution_id = k.contribution_id AND d.datanet = k.datanet
  JOIN contributions c ON c.contribution_id = k.canonical_id AND c.datanet = k.datanet
  WHERE k.datanet = '$first' AND k.duplicate_kind = 'near' ORDER BY k.similarity DESC, d.source LIMIT 8" "${OPTIONS[@]}"
