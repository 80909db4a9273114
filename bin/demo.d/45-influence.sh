#!/usr/bin/env bash
# Demo stage 45 = plan step `influence`: each Datanet's latest adapter (stage 40's) scored, per training contribution,
# by its influence on the adapter's held-out eval contributions (the configured method, trak by default; the plan
# estimates each contribution's gradient from at most 4 evenly spaced windows, scaled to all its tokens). Then the
# most helpful and the least helpful (or harmful) contributions with their contributors, and per-contributor sums, read
# back from the `influence` tables. Idempotent: the plan skips an adapter that already has scores.
set -euo pipefail
: "${T:?run through bin/tributary demo}"
# shellcheck disable=SC2206
OPTIONS=(${DEMO_OPTIONS:-})

echo "\$ bin/tributary pipeline step influence"
"$T" pipeline step influence "${OPTIONS[@]}" 2>&1

# The latest run per adapter and method: its three highest and three lowest scored contributions.
latest="SELECT adapter_id, method, query_set, max(computed_at) AS computed_at FROM influence GROUP BY adapter_id, method, query_set"
# Both tables in one `sql` call (one Spark start); each query's leading comment is printed as its heading.
"$T" sql "
-- most and least helpful training contributions (score > 0: lowered the eval loss), latest run per adapter
          WITH runs AS ($latest),
               scored AS (SELECT i.*, count(*) OVER (PARTITION BY i.run_id) AS scored FROM influence i
                          JOIN runs r ON i.adapter_id = r.adapter_id AND i.method = r.method AND i.query_set = r.query_set
                                     AND i.computed_at = r.computed_at)
          SELECT substr(s.adapter_id, 1, 12) AS adapter, s.method, s.rank, s.scored,
                 format_string('%+.4e', s.score) AS score, s.contributor, c.source, substr(s.contribution_id, 1, 12) AS contribution
          FROM scored s JOIN contributions c ON c.contribution_id = s.contribution_id AND c.datanet = s.datanet
          WHERE s.rank <= 3 OR s.rank > s.scored - 3
          ORDER BY s.adapter_id, s.method, s.rank" \
  "
-- per-contributor influence (influence_contributors, latest run per adapter and method), top 5 and bottom 5
          WITH runs AS (SELECT adapter_id, method, query_set, max(computed_at) AS computed_at FROM influence_contributors
                        GROUP BY adapter_id, method, query_set),
               ranked AS (SELECT c.*, row_number() OVER (PARTITION BY c.run_id ORDER BY c.score_sum DESC, c.contributor) AS position,
                                 count(*) OVER (PARTITION BY c.run_id) AS contributors_scored
                          FROM influence_contributors c JOIN runs r ON c.adapter_id = r.adapter_id AND c.method = r.method
                               AND c.query_set = r.query_set AND c.computed_at = r.computed_at)
          SELECT substr(adapter_id, 1, 12) AS adapter, method, position, contributor,
                 format_string('%+.4e', score_sum) AS score_sum, contributions
          FROM ranked WHERE position <= 5 OR position > contributors_scored - 5
          ORDER BY adapter_id, method, position" "${OPTIONS[@]}"
