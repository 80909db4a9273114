#!/usr/bin/env bash
# Demo stage 45 (indexing-jobs): influence of the training contributions on each demo adapter (stage 40), scored
# against the adapter's held-out eval contributions, with the most helpful and the least helpful (or harmful)
# contributions and their contributors. Idempotent: gradients are kept as Arrow files under
# <lake>/influence/<adapter>/ and reused, and a run already in the influence table is not appended again.
set -euo pipefail
: "${T:?run through bin/tributary demo}" "${DEMO_DIR:?run through bin/tributary demo}"
# shellcheck disable=SC2206
OPTIONS=(${DEMO_OPTIONS:-})

adapters_json="$("$T" sql --json "SELECT adapter_id, datanet, artifact_path FROM adapters ORDER BY datanet, created_at" "${OPTIONS[@]}" 2>/dev/null || echo '{"rows": []}')"
mapfile -t ADAPTERS < <(node -e '
  const prefix = process.argv[2] + "/models/adapters/";
  for (const row of JSON.parse(process.argv[1]).rows)
    if (row.artifact_path.startsWith(prefix)) console.log(row.adapter_id + " " + row.datanet);
' "$adapters_json" "$(cd "$DEMO_DIR" && pwd)")
if (( ${#ADAPTERS[@]} == 0 )); then
  echo "no demo adapter registered yet (stage 40 trains them); skipping influence"
  exit 0
fi

METHOD="${DEMO_INFLUENCE_METHOD:-trak}"
# License texts run to hundreds of windows each; the demo estimates each contribution's gradient from 4 evenly spaced
# windows (scaled to all its tokens) so the stage takes minutes on two cores. 0 computes every window (exact).
WINDOWS="${DEMO_INFLUENCE_MAX_WINDOWS:-4}"
for entry in "${ADAPTERS[@]}"; do
  read -r adapter datanet <<<"$entry"
  echo "--- influence on the $datanet adapter ${adapter:0:12} ($METHOD, eval queries, at most $WINDOWS windows each) ---"
  "$T" influence --adapter "$adapter" --method "$METHOD" --max-windows "$WINDOWS" --show 3 "${OPTIONS[@]}"
done

echo "--- per-contributor influence (latest run per adapter, method and query set) ---"
"$T" sql "SELECT substr(c.adapter_id, 1, 12) AS adapter, c.method, c.query_set, c.contributor,
                 format_string('%+.4e', c.score_sum) AS score_sum, c.contributions
          FROM influence_contributors c
          JOIN (SELECT adapter_id, method, query_set, max(computed_at) AS computed_at FROM influence_contributors
                GROUP BY adapter_id, method, query_set) latest
            ON c.adapter_id = latest.adapter_id AND c.method = latest.method AND c.query_set = latest.query_set
               AND c.computed_at = latest.computed_at
          ORDER BY c.adapter_id, c.method, c.query_set, c.score_sum DESC" "${OPTIONS[@]}"
