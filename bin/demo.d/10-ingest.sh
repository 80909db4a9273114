#!/usr/bin/env bash
# Demo stage 10 = plan step `ingest`: each Datanet's files in the inbox (DEMO_DIR/<datanet>/) validated, signed rows
# into `contributions`, bad lines into `quarantine` with a reason. Idempotent: files already ingested commit nothing.
set -euo pipefail
: "${T:?run through bin/tributary demo}"
# shellcheck disable=SC2206
OPTIONS=(${DEMO_OPTIONS:-})
echo "\$ bin/tributary pipeline step ingest"
"$T" pipeline step ingest "${OPTIONS[@]}" 2>&1
"$T" sql "WITH c AS (SELECT datanet, count(*) AS contributions, count(DISTINCT contributor) AS contributors
                 FROM contributions GROUP BY datanet),
            q AS (SELECT datanet, count(*) AS quarantined FROM quarantine GROUP BY datanet),
            b AS (SELECT datanet, count(*) AS batches FROM batches GROUP BY datanet)
       SELECT d.datanet, d.topic, coalesce(c.contributions, 0) AS contributions,
              coalesce(c.contributors, 0) AS contributors, coalesce(q.quarantined, 0) AS quarantined,
              coalesce(b.batches, 0) AS batches
       FROM datanets d LEFT JOIN c USING (datanet) LEFT JOIN q USING (datanet) LEFT JOIN b USING (datanet)
       ORDER BY d.datanet" "${OPTIONS[@]}"
