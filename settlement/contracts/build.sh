#!/usr/bin/env bash
# Recompiles the contracts with the pinned solc-js into settlement/src/main/resources/contracts and
# regenerates the committed web3j wrappers (io.tributary.settlement.contracts) with web3j's codegen.
# Run after changing a .sol file; ContractArtifactsTest fails until the committed files match the sources.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
module="$(dirname "$here")"
root="$(dirname "$module")"
export TRIBUTARY_TOOLS="${TRIBUTARY_TOOLS:-$root/tools/node_modules}"
node "$here/compile.js" "$module/src/main/resources/contracts"
classpath_file="$(mktemp)"
trap 'rm -f "$classpath_file"' EXIT
(cd "$root" && ./mvnw -q -pl settlement dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$classpath_file" >&2)
for name in RewardToken RewardDistributor DatanetRegistry; do
  java -cp "$(cat "$classpath_file")" org.web3j.codegen.SolidityFunctionWrapperGenerator \
    -a "$module/src/main/resources/contracts/$name.abi" -b "$module/src/main/resources/contracts/$name.bin" \
    -o "$module/src/main/java" -p io.tributary.settlement.contracts >&2
done
echo "contracts compiled and wrappers regenerated" >&2
