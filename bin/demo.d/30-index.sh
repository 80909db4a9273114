#!/usr/bin/env bash
# Demo stage 30 = plan step `index`: every Datanet's canonical contributions (stage 20's corpus) indexed into sharded
# suffix arrays; then trace a "model output" (a real license paragraph with a few words changed) back to the
# contributions and contributors it was copied from. Idempotent: a rebuild on the same version adds nothing.
set -euo pipefail
# shellcheck disable=SC2086
datanets="$("$T" sql "SELECT datanet FROM datanets ORDER BY datanet" --json $DEMO_OPTIONS \
  | node -e 'let s = ""; process.stdin.on("data", d => s += d).on("end", () => JSON.parse(s).rows.forEach(r => console.log(r.datanet)))')"
if [[ -z "$datanets" ]]; then
  echo "no Datanets in the lake: stage 10 creates them"
  exit 1
fi
echo "\$ bin/tributary pipeline step index"
# shellcheck disable=SC2086
"$T" pipeline step index $DEMO_OPTIONS 2>&1

# The MIT license's grant with four words edited, followed by the start of the BSD disclaimer.
sample='Permission is hereby granted, at no cost, to any person obtaining a copy of this software and associated
documentation files (the "Software"), to deal in the Software without restriction, including without limitation
the rights to use, copy, modify, merge, publish, distribute, sublicense, and/or trade copies of the Software.
THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS AND CONTRIBUTORS "AS IS" AND ANY EXPRESS OR IMPLIED WARRANTIES'
first="$(echo "$datanets" | head -n 1)"
echo
echo "tracing a sample text against Datanet $first:"
printf '%s\n\n' "$sample" | sed 's/^/  > /'
# shellcheck disable=SC2086
printf '%s' "$sample" | "$T" index trace --datanet "$first" --text - $DEMO_OPTIONS
echo
# shellcheck disable=SC2086
"$T" index count --datanet "$first" --text "Permission is hereby granted" $DEMO_OPTIONS
