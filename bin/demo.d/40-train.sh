#!/usr/bin/env bash
# Demo stage 40 = plan step `train`: a LoRA adapter for each Datanet with contributions newer than its latest adapter,
# trained from stage 35's base at the Datanet's current version into DEMO_DIR/models/adapters/<datanet>-v<version> and
# registered in the `adapters` table (the demo's profile sets tributary.training.lora.steps = DEMO_LORA_STEPS).
# Then, demo only: a second, smaller adapter (rank 4, named <datanet>-r4) on the same Datanet, so the serving stage
# serves several adapters; being the Datanet's latest, it is the one the plan's influence step scores. Last, the
# registered adapters (their completions are stage 50's). Idempotent: the plan skips a Datanet whose latest adapter
# covers every contribution, the second adapter is made once, and an adapter's id is a content hash (never registered
# twice).
set -euo pipefail
: "${T:?run through bin/tributary demo}" "${DEMO_DIR:?run through bin/tributary demo}"
source "$(dirname "${BASH_SOURCE[0]}")/demo-lib.bash"
# shellcheck disable=SC2206
OPTIONS=(${DEMO_OPTIONS:-})
BASE="$DEMO_DIR/models/tiny-base"

echo "\$ bin/tributary pipeline step train"
"$T" pipeline step train "${OPTIONS[@]}" 2>&1

mapfile -t DATANETS < <(demo_datanets)
for datanet in "${DATANETS[@]}"; do
  SECOND="$DEMO_DIR/models/adapters/$datanet-r4"
  if [[ ! -f "$SECOND/adapter_model.safetensors" ]]; then
    echo "-- demo only: a second adapter on $datanet (rank 4, ${DEMO_SECOND_LORA_STEPS:-40} steps, named $datanet-r4) so several are served"
    rm -rf "$SECOND"
    "$T" train lora --datanet "$datanet" --base "$BASE" --out "$SECOND" --rank 4 --seed 7 --name "$datanet-r4" \
      --steps "${DEMO_SECOND_LORA_STEPS:-40}" "${OPTIONS[@]}"
  fi
done

echo "-- registered adapters"
"$T" adapters list "${OPTIONS[@]}"
echo "(stage 50 serves them: greedy continuations of recurring license paragraphs, sampled completions and chats)"
