#!/usr/bin/env bash
# Demo stage 35 (demo only, before the plan's train step): the shared base model the plan trains adapters of
# (tributary.pipeline.base-model = DEMO_DIR/models/tiny-base). A tiny Llama-shaped model initialized from a seed and
# pre-trained for a few minutes on the sample Datanets, enough to learn the texts' spelling and common phrases.
# Idempotent: made only when its directory is missing.
set -euo pipefail
: "${T:?run through bin/tributary demo}" "${DEMO_DIR:?run through bin/tributary demo}"
# shellcheck disable=SC2206
OPTIONS=(${DEMO_OPTIONS:-})
MODELS="$DEMO_DIR/models"
BASE="$MODELS/tiny-base"
mkdir -p "$MODELS"
if [[ -f "$BASE/model.safetensors" ]]; then
  echo "base model present: $BASE"
  exit 0
fi
datanets_json="$("$T" sql --json "SELECT DISTINCT datanet FROM contributions ORDER BY datanet" "${OPTIONS[@]}")"
mapfile -t DATANETS < <(node -e 'for (const row of JSON.parse(process.argv[1]).rows) console.log(row.datanet)' "$datanets_json")
if (( ${#DATANETS[@]} == 0 )); then
  echo "no contributions in the lake (stage 10 ingests them)"
  exit 1
fi
rm -rf "$MODELS/tiny-random" "$BASE.partial"
"$T" model init --out "$MODELS/tiny-random" --preset tiny --seed 1 "${OPTIONS[@]}"
DATANET_ARGS=()
for datanet in "${DATANETS[@]}"; do DATANET_ARGS+=(--datanet "$datanet"); done
"$T" model pretrain "${DATANET_ARGS[@]}" --base "$MODELS/tiny-random" --out "$BASE.partial" \
  --steps "${DEMO_PRETRAIN_STEPS:-300}" "${OPTIONS[@]}"
mv "$BASE.partial" "$BASE"
