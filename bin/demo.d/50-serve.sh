#!/usr/bin/env bash
# Demo stage 50 (demo only: serving traffic): starts the inference server on loopback over the tiny base model of
# stage 35 and the adapters registered for it (stage 40: the plan's and the demo's second one), creates an API key,
# sets a price, sends real requests through the official `openai` npm client (prompts quoting
# Datanet text, completions, streams and chats), prints the inference log's records of those requests, and stops the
# server at the end, also on failure. Idempotent: the key and the price are made once; each run's requests are new billed
# inferences (served at a new time, so they fall in new epochs), which is what serving traffic is. It runs beside stage 45
# (influence scores are read by stage 60's attribution, after both; serving needs only stage 40's adapters).
# demo-stage: beside the previous stage
set -euo pipefail
: "${T:?run through bin/tributary demo}" "${DEMO_DIR:?run through bin/tributary demo}"
source "$(dirname "${BASH_SOURCE[0]}")/demo-lib.bash"
# shellcheck disable=SC2206
OPTIONS=(${DEMO_OPTIONS:-})
HOME_DIR="${TRIBUTARY_HOME:?}"
BASE="$DEMO_DIR/models/tiny-base"
WORK="$DEMO_DIR/serving"
mkdir -p "$WORK"
chmod 700 "$WORK"

if [[ ! -f "$BASE/model.safetensors" ]]; then
  echo "no base model at $BASE (stage 35 makes it); skipping serving"
  exit 0
fi

# Adapters registered for this base (adapters list is the training module's command).
adapters_json="$("$T" adapters list --json "${OPTIONS[@]}")"
mapfile -t ADAPTERS < <(node -e '
  const rows = JSON.parse(process.argv[1]).adapters.filter((a) => a.base_model === process.argv[2]);
  for (const a of rows) console.log(`${a.adapter_id} ${a.datanet}`);' "$adapters_json" "$BASE")
if (( ${#ADAPTERS[@]} == 0 )); then
  echo "no adapter registered for $BASE (stage 40 trains them); skipping serving"
  exit 0
fi
echo "adapters served: ${#ADAPTERS[@]}"

# Prints the log's records of the requests in IDS_FILE; fails unless every request has exactly one record.
IDS_FILE="$WORK/inference-ids.json"
LOG_DIR_FILE="$WORK/log-directory"
show_records() {
  local log_dir="$1"
  node -e '
  const fs = require("fs"); const path = require("path");
  const ids = new Set(JSON.parse(fs.readFileSync(process.argv[2], "utf8")));
  let total = 0n; let count = 0;
  for (const file of fs.readdirSync(process.argv[1]).filter((f) => /^inferences-.*\.jsonl$/.test(f)).sort()) {
    for (const line of fs.readFileSync(path.join(process.argv[1], file), "utf8").split("\n").filter(Boolean)) {
      const r = JSON.parse(line);
      if (!ids.has(r.inference_id)) continue;
      count++; total += BigInt(r.fee_wei);
      console.log(`${r.served_at} ${r.inference_id} ${r.adapter_id ? r.adapter_id.slice(0, 16) : "base            "} ${r.datanet || "-"}@${r.datanet_version ?? "-"} `
        + `payer ${r.payer.slice(0, 10)}.. key ${r.api_key_id} tokens ${r.prompt_tokens}+${r.completion_tokens} ${r.finish_reason} fee ${r.fee_wei} (${r.price_version})`);
    }
  }
  console.log(`${count} records of ${ids.size} requests, fees ${total} wei in all`);
  if (count !== ids.size) process.exit(1);' "$log_dir" "$IDS_FILE"
}

# Serving traffic makes new billed inferences each time it runs: a rerun of the demo shows the first run's records
# instead (DEMO_MORE_TRAFFIC=1 sends the requests again, as new inferences).
# The lake is named by its adapters table; traffic sent to another lake does not count.
LAKE_FILE="$WORK/lake"
lake="$(node -e 'console.log(JSON.parse(process.argv[1]).table)' "$adapters_json")"
if [[ "${DEMO_MORE_TRAFFIC:-0}" != 1 && -f "$IDS_FILE" && -f "$LOG_DIR_FILE" && "$(cat "$LAKE_FILE" 2>/dev/null)" == "$lake" ]] \
    && show_records "$(cat "$LOG_DIR_FILE")" > "$WORK/records.txt" 2>&1; then
  echo "-- traffic already served by an earlier run (DEMO_MORE_TRAFFIC=1 sends more); its inference log records:"
  cat "$WORK/records.txt"
  exit 0
fi

# An API key paying from a sample account; kept (mode 600) beside the demo data so a rerun reuses it.
KEY_FILE="$WORK/demo-api-key"
keys_json="$("$T" keys list --json "${OPTIONS[@]}")"
if [[ -f "$KEY_FILE" ]] && node -e '
    const crypto = require("crypto");
    const id = crypto.createHash("sha256").update(require("fs").readFileSync(process.argv[2], "utf8").trim()).digest("hex").slice(0, 16);
    process.exit(JSON.parse(process.argv[1]).keys.some((k) => k.key_id === id && !k.revoked) ? 0 : 1);' "$keys_json" "$KEY_FILE"; then
  echo "-- reusing the demo API key in $KEY_FILE"
else
  echo "-- creating an API key for the sample payer 0x00000000000000000000000000000000000000d1"
  ( umask 077; "$T" keys create --account 0x00000000000000000000000000000000000000d1 --name demo --json "${OPTIONS[@]}" \
      | node -e 'let s = ""; process.stdin.on("data", (d) => s += d).on("end", () => console.log(JSON.parse(s).key))' > "$KEY_FILE" )
fi

# A price for the first adapter, from a fixed time (so a rerun adds no row); the others use the default price.
FIRST="${ADAPTERS[0]%% *}"
echo "-- price of adapter ${FIRST:0:16}: 2e12 wei per 1k prompt tokens, 6e12 per 1k completion tokens"
"$T" adapters price --adapter "$FIRST" --prompt-wei-per-1k 2000000000000 --completion-wei-per-1k 6000000000000 \
  --effective-from 2026-01-01T00:00:00Z "${OPTIONS[@]}"

# Prompts quoting Datanet text. Greedy (temperature 0): the openings of license paragraphs that recur in the Datanet
# (demo_quote_prompts), so a completion can continue one verbatim; sampled (temperature 0.7): the first words of a
# contribution in the sample world's inbox files, once as a completion and once as a chat.
prompts_json="$(node -e '
  const fs = require("fs"); const path = require("path");
  const adapters = process.argv[1].split("\n").filter(Boolean).map((l) => ({ id: l.split(" ")[0], datanet: l.split(" ")[1] }));
  const quotes = process.argv[2].split("\n").filter(Boolean);
  const openings = (datanet) => {
    const dir = path.join(process.argv[3], datanet); const out = [];
    for (const file of (fs.existsSync(dir) ? fs.readdirSync(dir) : []).filter((f) => f.endsWith(".jsonl")).sort()) {
      for (const line of fs.readFileSync(path.join(dir, file), "utf8").split("\n")) {
        try { const t = JSON.parse(line).text; if (typeof t === "string" && t.trim()) out.push(t.slice(0, 90).replace(/\s+/g, " ").trim()); } catch (e) { /* a bad line */ }
        if (out.length >= 40) return out;
      }
    }
    return out;
  };
  const out = [];
  adapters.forEach((a, i) => {
    quotes.forEach((q, k) => out.push({ model: a.id, prompt: q, kind: k % 2 ? "stream" : "completion", temperature: 0, max_tokens: 64 }));
    const texts = openings(a.datanet);
    const q = texts.length ? texts[(i * 3) % texts.length] : "Permission is hereby granted";
    out.push({ model: a.id, prompt: q, kind: "completion" });
    out.push({ model: a.id, prompt: `What does this say: "${q}"?`, kind: "chat" });
  });
  out.push({ model: "base", prompt: "Permission is hereby granted, free of charge,", kind: "completion" });
  console.log(JSON.stringify(out));' "$(printf '%s\n' "${ADAPTERS[@]}")" "$(demo_quote_prompts)" "$DEMO_DIR")"

# Build first (a build can take minutes), then start the server on a free loopback port.
"$T" serve --help > /dev/null
PORT_FILE="$WORK/port"
rm -f "$PORT_FILE"
"$T" serve --model "$BASE" --host 127.0.0.1 --port 0 --port-file "$PORT_FILE" "${OPTIONS[@]}" > "$WORK/server.out" 2> "$WORK/server.err" &
SERVER=$!
stop_server() {
  if kill -0 "$SERVER" 2>/dev/null; then
    kill -TERM "$SERVER" 2>/dev/null || true
    wait "$SERVER" 2>/dev/null || true
  fi
}
trap stop_server EXIT
for _ in $(seq 1 600); do
  [[ -f "$PORT_FILE" ]] && break
  kill -0 "$SERVER" 2>/dev/null || { echo "the server stopped during start-up:"; cat "$WORK/server.err"; exit 1; }
  sleep 0.2
done
[[ -f "$PORT_FILE" ]] || { echo "the server did not start within 120 s"; cat "$WORK/server.err"; exit 1; }
URL="http://127.0.0.1:$(cat "$PORT_FILE")"
echo "-- server up at $URL"

rm -f "$IDS_FILE"
TRIBUTARY_API_KEY="$(cat "$KEY_FILE")" DEMO_IDS_FILE="$IDS_FILE" NODE_PATH="${TRIBUTARY_TOOLS:-$HOME_DIR/tools/node_modules}" \
  node "$HOME_DIR/serving/src/main/node/demo-client.cjs" "$URL" "$prompts_json"

echo
echo "-- stopping the server (the open log file is completed and becomes visible)"
stop_server
trap - EXIT
LOG_DIR="$(sed -n 's/.*log: files in \(.*\) (server id.*/\1/p' "$WORK/server.err" | tail -1)"
echo "$LOG_DIR" > "$LOG_DIR_FILE"
echo "$lake" > "$LAKE_FILE"
echo "-- inference log records of these requests, from $LOG_DIR"
show_records "$LOG_DIR"
