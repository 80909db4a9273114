#!/usr/bin/env bash
# Demo stage 40 = plan step `train`: a LoRA adapter for each Datanet with contributions newer than its latest adapter,
# trained from stage 35's base at the Datanet's current version into DEMO_DIR/models/adapters/<datanet>-v<version> and
# registered in the `adapters` table (the demo's profile sets tributary.training.lora.steps = DEMO_LORA_STEPS).
# Then, demo only: an adapter that quotes (<datanet>-quotes, trained on the few contributions holding the BSD
# disclaimer, so stage 50's greedy prompts get completions the stream traces to real text), and a second, smaller
# adapter (rank 4, named <datanet>-r4) on the same Datanet, so the serving stage serves several adapters; being the
# Datanet's latest, it is the one the plan's influence step scores. Last, the registered adapters (their completions are
# stage 50's). Idempotent: the plan skips a Datanet whose latest adapter covers every contribution, the demo's adapters
# are made once, and an adapter's id is a content hash (never registered twice).
set -euo pipefail
: "${T:?run through bin/tributary demo}" "${DEMO_DIR:?run through bin/tributary demo}"
source "$(dirname "${BASH_SOURCE[0]}")/demo-lib.bash"
# shellcheck disable=SC2206
OPTIONS=(${DEMO_OPTIONS:-})
BASE="$DEMO_DIR/models/tiny-base"

echo "\$ bin/tributary pipeline step train"
"$T" pipeline step train "${OPTIONS[@]}" 2>&1

mapfile -t DATANETS < <(demo_datanets)
# Demo only: an adapter that quotes. The 400-step base and the plan's adapter continue no license paragraph (they write
# "the the the"), so stage 50's greedy prompts would quote nothing. This adapter is trained on the few contributions
# that hold the BSD disclaimer (the first of demo_quote_prompts; found in the index, so they are canonical ones) with
# capacity to spare (rank 32 on every projection, sequences of 256 tokens), and learns their shared paragraphs well
# enough to continue some prompts with Datanet text (docs/operations.md, "The demo", says what it wrote when measured).
# Trained before legal-r4, so legal-r4 stays the Datanet's latest adapter (the one stage 45 scores).
for datanet in "${DATANETS[@]}"; do
  QUOTING="$DEMO_DIR/models/adapters/$datanet-quotes"
  if [[ ! -f "$QUOTING/adapter_model.safetensors" ]]; then
    opening="$(demo_quote_prompts | sed -n 1p)"
    "$T" index trace --datanet "$datanet" --text "$opening" --documents 100000 --json "${OPTIONS[@]}" > "$DEMO_DIR/$datanet-quotes.trace.json"
    node -e '
      const spans = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).spans;
      const longest = spans.sort((a, b) => b.tokens - a.tokens)[0];
      for (const d of longest ? longest.documents : []) console.log(d.contribution_id);' \
      "$DEMO_DIR/$datanet-quotes.trace.json" > "$DEMO_DIR/$datanet-quotes.contributions"
    if [[ ! -s "$DEMO_DIR/$datanet-quotes.contributions" ]]; then
      echo "-- demo only: no contribution of $datanet holds \"$opening\"; no quoting adapter"
      continue
    fi
    echo "-- demo only: an adapter that quotes ($datanet-quotes, ${DEMO_QUOTE_LORA_STEPS:-400} steps, rank 32 on every projection)," \
      "trained on the $(wc -l < "$DEMO_DIR/$datanet-quotes.contributions") contributions holding \"$opening\""
    rm -rf "$QUOTING"
    "$T" train lora --datanet "$datanet" --base "$BASE" --out "$QUOTING" --name "$datanet-quotes" \
      --contributions "$DEMO_DIR/$datanet-quotes.contributions" --rank 32 --alpha 64 \
      --target-modules q_proj,k_proj,v_proj,o_proj,gate_proj,up_proj,down_proj --sequence-length 256 --batch-size 4 \
      --learning-rate 0.01 --steps "${DEMO_QUOTE_LORA_STEPS:-400}" "${OPTIONS[@]}"
  fi
done

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
