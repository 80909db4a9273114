#!/usr/bin/env bash
# Demo stage 40 (training-jobs): a tiny base model pre-trained on the sample Datanets, one LoRA adapter
# per Datanet registered in the lake's `adapters` table, and a sample completion from each adapter.
# Idempotent: the base model and each adapter are made only when their directory is missing; an
# adapter already registered is not registered twice (its id is a content hash).
set -euo pipefail
: "${T:?run through bin/tributary demo}" "${DEMO_DIR:?run through bin/tributary demo}"
# shellcheck disable=SC2206
OPTIONS=(${DEMO_OPTIONS:-})
MODELS="$DEMO_DIR/models"
mkdir -p "$MODELS"

# Every Datanet with contributions, from the lake the other stages wrote (whatever its file system).
datanets_json="$("$T" sql --json "SELECT DISTINCT datanet FROM contributions ORDER BY datanet" "${OPTIONS[@]}")"
mapfile -t DATANETS < <(node -e 'for (const row of JSON.parse(process.argv[1]).rows) console.log(row.datanet)' "$datanets_json")
if (( ${#DATANETS[@]} == 0 )); then
  echo "no contributions in the lake yet (stage 10 ingests them); skipping training"
  exit 0
fi
echo "sample Datanets: ${DATANETS[*]}"

BASE="$MODELS/tiny-base"
if [[ ! -f "$BASE/model.safetensors" ]]; then
  rm -rf "$MODELS/tiny-random" "$BASE.partial"
  "$T" model init --out "$MODELS/tiny-random" --preset tiny --seed 1 "${OPTIONS[@]}"
  DATANET_ARGS=()
  for datanet in "${DATANETS[@]}"; do DATANET_ARGS+=(--datanet "$datanet"); done
  # A few minutes on two cores: enough for the model to learn the texts' spelling and common phrases.
  "$T" model pretrain "${DATANET_ARGS[@]}" --base "$MODELS/tiny-random" --out "$BASE.partial" \
    --steps "${DEMO_PRETRAIN_STEPS:-300}" "${OPTIONS[@]}"
  mv "$BASE.partial" "$BASE"
else
  echo "base model present: $BASE"
fi

for datanet in "${DATANETS[@]}"; do
  ADAPTER="$MODELS/adapters/$datanet"
  if [[ ! -f "$ADAPTER/adapter_model.safetensors" ]]; then
    rm -rf "$ADAPTER"
    "$T" train lora --datanet "$datanet" --base "$BASE" --out "$ADAPTER" --name "$datanet" \
      --steps "${DEMO_LORA_STEPS:-60}" "${OPTIONS[@]}"
  else
    echo "adapter present: $ADAPTER"
  fi
done

"$T" adapters list "${OPTIONS[@]}"

for datanet in "${DATANETS[@]}"; do
  echo "--- sample completion with the $datanet adapter ---"
  "$T" model generate --model "$BASE" --adapter "$MODELS/adapters/$datanet" \
    --prompt "Permission is hereby granted" --max-tokens 80 --temperature 0.7 --seed 1 "${OPTIONS[@]}"
  echo
done
