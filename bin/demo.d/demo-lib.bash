# Sourced by the demo's stages (not a stage: bin/demo runs only *.sh). Helpers that spare a JVM or Spark start.

# The sample world's Datanets, one a line, from stage 05's summary (DEMO_DIR/sample-world.json): the Datanets the
# stages show. The plan's steps themselves work on every Datanet in the lake.
demo_datanets() {
  node -e 'const w = require(process.argv[1]); for (const d of [].concat(w.datanet)) console.log(d)' \
    "${DEMO_DIR:?run through bin/tributary demo}/sample-world.json"
}

# Openings of license paragraphs that recur across the SPDX texts (the BSD disclaimer and liability clause, the BSD
# and MIT grants), one a line, each under 100 bytes so prompt and completion stay within the positions the base was
# pre-trained on (stage 35: sequences of 256 byte tokens). Served greedily (temperature 0), a model that learned them
# continues them verbatim, which the attribution stream traces back to the contributions: spans of at least
# min-span-tokens bytes occurring at most max-count times in the index (stage 30 prints how often each opening occurs).
# The demo's 400-step base has not learned them; stage 40's legal-quotes adapter continues the last one with a BSD
# sentence (docs/operations.md, "The quoting adapter").
demo_quote_prompts() {
  cat <<'PROMPTS'
THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS AND CONTRIBUTORS "AS IS" AND ANY EXPRESS OR IMPLIED
(INCLUDING, BUT NOT LIMITED TO, PROCUREMENT OF
OR BUSINESS INTERRUPTION) HOWEVER CAUSED AND ON ANY THEORY OF LIABILITY,
Redistribution and use in source and binary forms, with or without modification, are permitted
Permission is hereby granted, free of charge, to any person obtaining a copy
PROMPTS
}
