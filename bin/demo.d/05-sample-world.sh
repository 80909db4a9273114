#!/usr/bin/env bash
# Demo stage 05 (demo only, before the plan): the sample world. Signed contributions from the SPDX license list (real
# text, CC0) by 30 generated contributors, with re-submissions, reformatted copies and bad lines, written to the plan's
# inbox (DEMO_DIR/legal/); and the Datanet `legal` they are contributed to. Idempotent: the files are regenerated
# byte for byte from their seed, and the Datanet is created once.
set -euo pipefail
: "${T:?run through bin/tributary demo}" "${DEMO_DIR:?run through bin/tributary demo}"
# shellcheck disable=SC2206
OPTIONS=(${DEMO_OPTIONS:-})
"$T" sample-world --out "$DEMO_DIR" --json "${OPTIONS[@]}" > "$DEMO_DIR/sample-world.json"
owner="$(node -e 'console.log(require(process.argv[1]).owner)' "$DEMO_DIR/sample-world.json")"
echo "sample world in $DEMO_DIR: $(node -e 'const w=require(process.argv[1]);console.log(`${w.lines} lines, ${w.licenses} license texts, ${w.contributors} contributors, ${w.resubmissions} re-submissions, ${w.reformatted_copies} reformatted copies, ${w.bad_lines} bad lines`)' "$DEMO_DIR/sample-world.json")"
if "$T" datanet show --datanet legal "${OPTIONS[@]}" >/dev/null 2>&1; then
  echo "Datanet legal exists"
else
  "$T" datanet create --id legal --name "Open source licenses" --topic legal --owner "$owner" "${OPTIONS[@]}"
fi
