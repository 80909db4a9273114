#!/usr/bin/env bash
# Demo stage 30 = plan step `index`: every Datanet's canonical contributions (stage 20's corpus) indexed into sharded
# suffix arrays; then trace a "model output" (a real license paragraph with a few words changed) back to the
# contributions and contributors it was copied from, and count the serving stage's greedy prompts. Idempotent: a rebuild
# on the same version adds nothing.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/demo-lib.bash"
echo "\$ bin/tributary pipeline step index"
# shellcheck disable=SC2086
"$T" pipeline step index $DEMO_OPTIONS 2>&1

# The MIT license's grant with four words edited, followed by the start of the BSD disclaimer.
sample='Permission is hereby granted, at no cost, to any person obtaining a copy of this software and associated
documentation files (the "Software"), to deal in the Software without restriction, including without limitation
the rights to use, copy, modify, merge, publish, distribute, sublicense, and/or trade copies of the Software.
THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS AND CONTRIBUTORS "AS IS" AND ANY EXPRESS OR IMPLIED WARRANTIES'
first="$(demo_datanets | head -n 1)"
echo
echo "tracing a sample text against Datanet $first:"
printf '%s\n\n' "$sample" | sed 's/^/  > /'
# shellcheck disable=SC2086
printf '%s' "$sample" | "$T" index trace --datanet "$first" --text - $DEMO_OPTIONS
echo
# The openings the serving stage sends greedily (demo-lib.bash): each is a span of the index; its count must stay at
# most max-count (tributary.index.max-count, the stream's tributary.attribution.max-count) or its quotes are not kept.
echo "how often the serving stage's greedy prompts occur in Datanet $first (spans over max-count would not be kept):"
# shellcheck disable=SC2086
demo_quote_prompts | "$T" index trace --datanet "$first" --text - --documents 1 $DEMO_OPTIONS
