#!/usr/bin/env bash
# Demo stage 35 (demo only, before the plan's train step): the shared base model the plan trains adapters of
# (tributary.pipeline.base-model = DEMO_DIR/models/tiny-base). A tiny Llama-shaped model initialized from a seed and
# pre-trained on the sample Datanet for a few minutes.
# Idempotent: made only when its directory is missing. It runs beside stage 30 (the index needs no model, and pre-training
# only the contributions and stage 20's corpus).
# demo-stage: beside the previous stage
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
source "$(dirname "${BASH_SOURCE[0]}")/demo-lib.bash"
mapfile -t DATANETS < <(demo_datanets)
if (( ${#DATANETS[@]} == 0 )); then
  echo "no sample world Datanet (stage 05 writes it)"
  exit 1
fi
# An interrupted pre-training resumes from its last checkpoint in BASE.partial (checkpoint-every steps).
if [[ ! -f "$MODELS/tiny-random/model.safetensors" ]]; then
  rm -rf "$MODELS/tiny-random" "$BASE.partial"
  "$T" model init --out "$MODELS/tiny-random" --preset tiny --seed 1 "${OPTIONS[@]}"
fi
DATANET_ARGS=()
for datanet in "${DATANETS[@]}"; do DATANET_ARGS+=(--datanet "$datanet"); done
# Sequences of 256 tokens (batches of 4: the same 1,024 tokens a step as the profile's 8 x 128) so the serving stage's
# prompt plus completion stay within trained positions; DEMO_PRETRAIN_STEPS steps (400: about 410k tokens, a tenth of
# the Datanet's text; too few for verbatim quotes: docs/operations.md, "The demo", says what was measured).
"$T" model pretrain "${DATANET_ARGS[@]}" --base "$MODELS/tiny-random" --out "$BASE.partial" \
  --steps "${DEMO_PRETRAIN_STEPS:-400}" --sequence-length 256 --batch-size 4 --resume "${OPTIONS[@]}"
mv "$BASE.partial" "$BASE"
