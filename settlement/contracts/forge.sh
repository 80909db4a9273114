#!/usr/bin/env bash
# Runs the contract tests with forge, offline, compiling with the pinned solc-js (no compiler download).
# Usage: settlement/contracts/forge.sh [forge test options]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
tools="${TRIBUTARY_TOOLS:-$here/../../tools/node_modules}"
export TRIBUTARY_TOOLS="$tools"
cd "$here"
exec "$tools/@foundry-rs/forge-linux-amd64/bin/forge" test --offline --use "$here/solc-js-standard-json.sh" "$@"
