#!/usr/bin/env bash
# Demo stage 50 (settlement): starts the local chain (once), anchors every sample Datanet's ingestion
# batches, settles a sample epoch that pays the sample contributors, and has one contributor claim.
# Idempotent: the chain, the anchors, the epoch and the claim are each done once, then reported as done.
set -euo pipefail
# shellcheck disable=SC2206
options=(${DEMO_OPTIONS:-})

echo "-- local chain (Anvil on loopback, contracts deployed once)"
"$T" chain up "${options[@]}"

has_sql=no
if "$T" sql --help >/dev/null 2>&1; then has_sql=yes; fi

contributors=()
if [[ "$has_sql" == yes ]]; then
  mapfile -t datanets < <("$T" sql --json "SELECT DISTINCT datanet FROM batches" "${options[@]}" 2>/dev/null \
    | grep -oE '"datanet"[[:space:]]*:[[:space:]]*"[a-z0-9][a-z0-9_-]*"' | sed -E 's/.*"([^"]+)"$/\1/' | sort -u)
  for datanet in "${datanets[@]}"; do
    echo "-- anchoring the batches of Datanet $datanet"
    "$T" anchor --datanet "$datanet" "${options[@]}"
  done
  mapfile -t contributors < <("$T" sql --json "SELECT DISTINCT contributor FROM contributions" "${options[@]}" 2>/dev/null \
    | grep -oE '0x[0-9a-fA-F]{40}' | tr 'A-F' 'a-f' | sort -u)
fi
if (( ${#contributors[@]} == 0 )); then
  echo "-- no contributions table in the lake yet: paying Anvil's dev accounts 1-5 instead"
  contributors=(0x70997970c51812dc3a010c7d01b50e0d17dc79c8 0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc
    0x90f79bf6eb2c4f870365e785982e1f87e4b5f5da 0x15d34aaf54267db7d7c367839aaf71a00a2c6a65
    0x9965507d1a55bcc2695c58ba16fb37d819b0a4dc)
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
