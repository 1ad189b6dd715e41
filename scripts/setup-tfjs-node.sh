#!/usr/bin/env bash
# Builds (once) the native backend the tests and the bench run on: @tensorflow/tfjs-node 4.22.0
# compiled against the tensorflow-cpu wheel of the Keras environment (scripts/keras-env.sh),
# installed into .cache/tfjs-node (never into node_modules: it stays an optional peer
# dependency, and `npm ci` passes without it). Symlinks into the wheel, no copies. Prints the
# folder to give the reproduction (NANGUARD_TFJS_NODE). Idempotent: a finished build is kept
# until the wheel changes.
#
#   scripts/setup-tfjs-node.sh                       -> prints .cache/tfjs-node
#   NANGUARD_TFJS_NODE=dir scripts/setup-tfjs-node.sh   (another location)
#
# Needs `npm ci` done (it runs the setup from the sources with tsx), a C++ compiler, make and
# the Node.js headers; the npm registry (or npm's cache) for the package itself.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
target="${NANGUARD_TFJS_NODE:-$root/.cache/tfjs-node}"
python="$(bash "$root/scripts/keras-env.sh")"

mkdir -p "$(dirname "$target")"
exec 9>"$target.lock"
# One builder at a time: a second caller waits for the first instead of building over it.
if command -v flock >/dev/null 2>&1; then flock -w 600 9; fi

cd "$root"
exec node --import tsx src/repro/native/main.ts --target "$target" --python "$python" --source tensorflow "$@"
