#!/usr/bin/env bash
# A native-solc stand-in for forge: forge runs `solc --version` and `solc --standard-json ...`; this answers
# both with the pinned solc-js, so forge never downloads a compiler (see forge.sh).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
tools="${TRIBUTARY_TOOLS:-$here/../../tools/node_modules}"
exec node "$here/solc-standard-json.js" "$tools" "$@"
