#!/usr/bin/env bash
# Demo stage 70 = plan step `settle`, with the demo's chain around it: starts the local chain (once; its state under
# DEMO_DIR/chain), anchors every Datanet's ingestion batches (demo only: the walk ends at a batch's anchor), then the
# plan settles every epoch the attribution stream closed (payouts from epoch_payouts, roles summed per account; the
# epoch's inference root anchored too). Then the contributor whose quoted text earned most in one epoch (or, when no
# completion quoted a contribution, the one the priors paid most) claims exactly what the stream computed, and the stage
# prints the walk from that claim back to the contribution: claim -> epoch -> inference -> span (or prior) ->
# contribution -> batch -> anchor transaction. Nothing here invents an amount. Idempotent: each anchor, epoch and
# claim is done once.
set -euo pipefail
: "${T:?run through bin/tributary demo}"
# shellcheck disable=SC2206
options=(${DEMO_OPTIONS:-})
source "$(dirname "${BASH_SOURCE[0]}")/demo-lib.bash"
rows() { node -e 'for (const row of JSON.parse(process.argv[1]).rows) console.log(Object.values(row).join(" "))' "$1"; }

echo "-- local chain (Anvil on loopback, contracts deployed once)"
"$T" chain up "${options[@]}"

mapfile -t datanets < <(demo_datanets)
for datanet in "${datanets[@]}"; do
  echo "-- anchoring the batches of Datanet $datanet"
  "$T" anchor --datanet "$datanet" "${options[@]}"
done

echo "\$ bin/tributary pipeline step settle   (every closed epoch not yet posted: settle --epoch N)"
"$T" pipeline step settle "${options[@]}" 2>&1

# The contributor whose quoted text earned the most wei in one posted epoch (traced spans). When no completion quoted a
# contribution (no greedy completion continued a paragraph for min-span-tokens bytes of letters and digits), the contributor the priors paid most.
top="WITH credited AS (SELECT a.epoch, a.account, a.kind, sum(CAST(a.wei AS DECIMAL(38,0))) AS wei FROM attributions a JOIN epochs e ON e.epoch = a.epoch AND e.status = 'posted' WHERE a.kind IN ('span', 'prior') GROUP BY a.epoch, a.account, a.kind),
    owed AS (SELECT epoch, lower(account) AS account, sum(CAST(wei AS DECIMAL(38,0))) AS wei FROM epoch_payouts GROUP BY epoch, lower(account))
  SELECT c.epoch, c.account, c.kind, CAST(c.wei AS STRING) AS credited_wei, CAST(o.wei AS STRING) AS owed_wei FROM credited c JOIN owed o ON o.epoch = c.epoch AND o.account = lower(c.account)
  ORDER BY CASE c.kind WHEN 'span' THEN 0 ELSE 1 END, c.wei DESC, c.epoch, c.account LIMIT 1"
# The walk's rows for that contributor: its largest credit of that kind, with the inference, the span's text, the
# contribution, its batch and both anchors.
walk="WITH top AS ($top)
  SELECT a.inference_id, a.kind, a.span_start, a.span_end, a.wei, a.credit, i.served_at, i.fee_wei, i.adapter_id, e.inferences_root, CAST(decode(substring(encode(i.completion, 'UTF-8'), a.span_start + 1, a.span_end - a.span_start), 'UTF-8') AS STRING) AS span_text, c.contribution_id, c.contributor, c.source, c.batch_id, b.tx AS batch_tx, b.block AS batch_block, x.tx AS epoch_anchor_tx
  FROM attributions a JOIN top t ON a.epoch = t.epoch AND lower(a.account) = lower(t.account) AND a.kind = t.kind
  JOIN inferences i ON a.inference_id = i.inference_id JOIN attribution_epochs e ON a.epoch = e.epoch
  LEFT JOIN contributions c ON a.contribution_id = c.contribution_id LEFT JOIN batch_anchors b ON c.batch_id = b.batch_id
  LEFT JOIN batch_anchors x ON x.batch_id = concat('attribution-epoch-', CAST(a.epoch AS STRING))
  ORDER BY CAST(a.wei AS DECIMAL(38,0)) DESC, a.inference_id LIMIT 1"
# One `sql` call (one Spark start) for the posted epochs, the contributor to walk and the walk's rows.
results_json="$("$T" sql --json "SELECT epoch, status, accounts, total, root, tx FROM epochs WHERE status = 'posted' ORDER BY epoch" \
  "$top" "$walk" "${options[@]}")" || { echo "no epoch settled (stage 60 closes them)"; exit 1; }
result() { node -e 'console.log(JSON.stringify(JSON.parse(process.argv[1]).results[Number(process.argv[2])]))' "$results_json" "$1"; }
echo "-- epochs on chain (epochs: root, accounts and total per posted epoch)"
node -e '
  const r = JSON.parse(process.argv[1]);
  for (const row of r.rows) console.log(`  epoch ${row.epoch} ${row.status}: ${row.accounts} accounts, ${row.total} wei, root ${row.root}, tx ${row.tx}`);
  console.log(`  (${r.count} posted)`);' "$(result 0)"
top_json="$(result 1)"
walk_json="$(result 2)"
read -r richest account kind credited_wei owed < <(rows "$top_json")
if [[ -z "${account:-}" ]]; then
  echo "no contributor was paid in a posted epoch: nothing to claim"
  exit 1
fi
if [[ "$kind" == span ]]; then
  echo "-- contributor $account was quoted in epoch $richest: $credited_wei wei for traced spans"
else
  echo "-- no completion quoted a contribution (no span of at least tributary.attribution.min-span-tokens tokens of text): every"
  echo "   contributor wei came from priors (influence scores, else training-token shares). Contributor $account got the most:"
  echo "   $credited_wei wei by prior in epoch $richest"
fi
# Stage 90 audits the same payout in the dashboard.
echo "$richest $account $kind" > "${DEMO_DIR:?}/walked-payout"
echo "-- the stream computed $owed wei for $account in epoch $richest (epoch_payouts, roles summed); proof and claim"
proof_json="$("$T" proof --epoch "$richest" --account "$account" --json "${options[@]}")"
claim_json="$("$T" claim --epoch "$richest" --account "$account" --json "${options[@]}")"
node -e '
  const proof = JSON.parse(process.argv[1]); const claim = JSON.parse(process.argv[2]);
  console.log(`claim: ${claim.status} ${proof.amount} wei, tx ${claim.tx ?? "(claimed earlier)"}`);
  if (proof.amount !== process.argv[3]) { console.error(`the claim (${proof.amount}) differs from the stream (${process.argv[3]})`); process.exit(1); }
  console.log("claim amount == stream epoch_payouts sum for the account: yes");' "$proof_json" "$claim_json" "$owed"

echo "-- the walk: claim -> epoch -> inference -> $kind -> contribution -> batch -> anchor transaction"
node -e '
  const w = JSON.parse(process.argv[1]).rows[0];
  if (!w) { console.log("no attribution row for the account"); process.exit(1); }
  console.log(`epoch ${process.argv[2]}: inferences root ${w.inferences_root}, anchored in tx ${w.epoch_anchor_tx}`);
  console.log(`inference ${w.inference_id} served ${w.served_at}, adapter ${w.adapter_id.slice(0, 16)}.., fee ${w.fee_wei} wei`);
  if (w.kind === "span") console.log(`span tokens [${w.span_start}, ${w.span_end}): "${w.span_text}" -> ${w.wei} wei (credit ${w.credit} of the pool)`);
  else console.log(`no quoted span: uncovered tokens credited by prior (training-token share or influence) -> ${w.wei} wei (credit ${w.credit})`);
  console.log(`contribution ${w.contribution_id} (${w.source}) by ${w.contributor}`);
  console.log(`  in batch ${w.batch_id}, anchored in tx ${w.batch_tx} (block ${w.batch_block})`);' "$walk_json" "$richest"
"$T" proof --inference "$(node -e 'console.log(JSON.parse(process.argv[1]).rows[0].inference_id)' "$walk_json")" "${options[@]}"
