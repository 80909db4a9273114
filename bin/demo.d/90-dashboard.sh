#!/usr/bin/env bash
# Demo stage 90 (operations): starts the live dashboard on the demo lake (left running after the demo; its address
# is printed) and prints one audit walk: the payout stage 70 claimed (the quoted contributor's), else the contributor
# paid most in the latest settled epoch from the dashboard's own figures, walked back to spans, contributions and anchors.
# Idempotent: a dashboard this stage started and that still answers is reused.
set -euo pipefail
: "${T:?run through bin/tributary demo}" "${DEMO_DIR:?run through bin/tributary demo}"
# shellcheck disable=SC2206
OPTIONS=(${DEMO_OPTIONS:-})
STATE="$DEMO_DIR/dashboard"
PID_FILE="$STATE/dashboard.pid"
ADDRESS_FILE="$STATE/dashboard.address"
LOG="$STATE/dashboard.log"
mkdir -p "$STATE"

answers() { [[ -f "$ADDRESS_FILE" ]] && node -e 'fetch(process.argv[1] + "health").then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))' "$(cat "$ADDRESS_FILE")"; }

start_dashboard() {
  rm -f "$ADDRESS_FILE"
  # setsid: the dashboard outlives the demo (stop it with: kill "$(cat DEMO_DIR/dashboard/dashboard.pid)").
  setsid "$T" dashboard --address-file "$ADDRESS_FILE" "$@" "${OPTIONS[@]}" >"$LOG" 2>&1 < /dev/null &
  echo $! > "$PID_FILE"
  for _ in $(seq 1 600); do
    [[ -f "$ADDRESS_FILE" ]] && return 0
    kill -0 "$(cat "$PID_FILE")" 2>/dev/null || return 1
    sleep 0.5
  done
  return 1
}

if [[ -f "$PID_FILE" ]] && kill -0 "$(cat "$PID_FILE")" 2>/dev/null && answers; then
  echo "-- the dashboard is already running (pid $(cat "$PID_FILE"))"
else
  echo "-- starting the dashboard (log: $LOG)"
  # The configured port (tributary.dashboard.port), or any free one when it is taken.
  if ! start_dashboard; then
    echo "   the configured port is not available ($(tail -1 "$LOG")); using a free port"
    start_dashboard --port 0 || { cat "$LOG" >&2; exit 1; }
  fi
fi
address="$(cat "$ADDRESS_FILE")"
echo "dashboard: $address   (Prometheus metrics: ${address}metrics; stop: kill $(cat "$PID_FILE"))"

# The payout stage 70 claimed and walked (the quoted contributor, when a completion quoted one); else the latest settled
# epoch and the contributor it paid most, from the dashboard's figures.
if [[ -f "$DEMO_DIR/walked-payout" ]]; then
  read -r epoch account walked_kind < "$DEMO_DIR/walked-payout"
  echo "-- audit walk: the payout stage 70 claimed and walked (credited by $walked_kind) in settled epoch $epoch"
else
  read -r epoch account < <(node -e '
    fetch(process.argv[1] + "api/state").then(r => r.json()).then(state => {
      const settled = state.overview.epochs.filter(e => e.status === "settled").map(e => e.epoch).sort((a, b) => b - a);
      for (const epoch of settled) {
        const paid = state.overview.datanets.flatMap(d => d.epochs.filter(e => e.epoch === epoch).flatMap(e => e.contributors));
        paid.sort((a, b) => (BigInt(b.wei) > BigInt(a.wei) ? 1 : BigInt(b.wei) < BigInt(a.wei) ? -1 : a.account.localeCompare(b.account)));
        if (paid.length > 0) { console.log(epoch + " " + paid[0].account); return; }
      }
      console.log("- -");
    })' "$address")
  if [[ "$epoch" == "-" ]]; then
    echo "no settled epoch with contributor payouts yet: epoch_payouts is empty until the attribution stream"
    echo "(tributary attribute) closes an epoch and settle posts it; the dashboard shows epochs as they arrive."
    exit 0
  fi
  echo "-- audit walk: the contributor paid most in settled epoch $epoch"
fi
echo "\$ bin/tributary audit --account $account --epoch $epoch"
"$T" audit --account "$account" --epoch "$epoch" "${OPTIONS[@]}"
echo "the same walk, clickable: ${address}#/audit/$account/$epoch"
