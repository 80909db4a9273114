#!/usr/bin/env bash
# Demo stage 50 (settlement): starts the local chain (once), anchors every sample Datanet's ingestion
# batches, settles a sample epoch that pays the sample contributors, and has one contributor claim.
# Idempotent: the chain, the anchors, the epoch and the claim are each done once, then reported as done.
set -euo pipefail
# shellcheck disable=SC2206
options=(${DEMO_OPTIONS:-})

echo "-- local chain (Anvil on loopback, contracts deployed once)"
"$T" chain up "${options[@]}"

# A failing query stops the stage (set -e): it must never fall back to paying someone else.
datanets_json="$("$T" sql --json "SELECT DISTINCT datanet FROM batches ORDER BY datanet" "${options[@]}")"
mapfile -t datanets < <(node -e 'for (const row of JSON.parse(process.argv[1]).rows) console.log(row.datanet)' "$datanets_json")
for datanet in "${datanets[@]}"; do
  echo "-- anchoring the batches of Datanet $datanet"
  "$T" anchor --datanet "$datanet" "${options[@]}"
done
contributors_json="$("$T" sql --json --limit 100000 "SELECT DISTINCT contributor FROM contributions ORDER BY contributor" "${options[@]}")"
mapfile -t contributors < <(node -e 'for (const row of JSON.parse(process.argv[1]).rows) console.log(row.contributor)' "$contributors_json")
if (( ${#contributors[@]} == 0 )); then
  echo "no contributions in the lake yet (stage 10 ingests them); nothing to settle"
  exit 0
fi

# The epoch id is derived from the contributors paid, so a rerun settles the same epoch again (which changes
# nothing) and a different set of contributors gets a new epoch id instead of reusing one.
epoch="$(( 16#$(printf '%s\n' "${contributors[@]}" | sha256sum | cut -c1-7) ))"
epoch_file="$DEMO_DIR/epoch-$epoch.json"
if [[ ! -f "$epoch_file" ]]; then
  {
    printf '{"epoch": %s, "payouts": [' "$epoch"
    separator=""
    for i in "${!contributors[@]}"; do
      # 10 to 50 TRIB (18 decimals), varied so the sample shows different amounts.
      printf '%s\n  {"account": "%s", "amount": "%s000000000000000000"}' "$separator" \
        "${contributors[$i]}" "$(( (1 + i % 5) * 10 ))"
      separator=","
    done
    printf ']}\n'
  } > "$epoch_file"
fi
echo "-- settling epoch $epoch for ${#contributors[@]} contributors ($epoch_file)"
"$T" settle --epoch-file "$epoch_file" "${options[@]}"

first="${contributors[0]}"
echo "-- contributor $first looks up its proof and claims"
"$T" proof --epoch "$epoch" --account "$first" "${options[@]}"
"$T" claim --epoch "$epoch" --account "$first" "${options[@]}"
