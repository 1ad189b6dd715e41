#!/usr/bin/env bash
# Installs (once) the real Keras environment the fidelity tests and the corpus checks run in,
# and prints the path of its python. Idempotent: a complete environment is reused as is.
#
#   scripts/keras-env.sh            -> prints .cache/keras-env/bin/python
#   NANGUARD_KERAS_ENV=dir scripts/keras-env.sh   (another location)
#
# pip is told not to wait for the public index (--retries 0 --timeout 2): on machines without
# internet access the wheels come from the local index configured for pip.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
env_dir="${NANGUARD_KERAS_ENV:-$root/.cache/keras-env}"
python="$env_dir/bin/python"
# Keras and TensorFlow are what the fidelity suite compares against; scikit-learn and pandas
# are what the corpus scripts import, as published autoencoders do.
requirements=(tensorflow-cpu==2.21.0 keras==3.15.1 scikit-learn==1.9.1 pandas==3.0.6)
stamp="$env_dir/.nanguard-requirements"

say() { echo "keras-env: $*" >&2; }

# Compares installed distribution versions without importing TensorFlow (which takes seconds).
installed_matches() {
  [ -x "$python" ] || return 1
  "$python" - "${requirements[@]}" <<'PY' 2>/dev/null
import sys
from importlib import metadata
for req in sys.argv[1:]:
    name, version = req.split("==")
    try:
        if metadata.version(name) != version:
            sys.exit(1)
    except metadata.PackageNotFoundError:
        sys.exit(1)
PY
}

ready() {
  [ -f "$stamp" ] && [ "$(cat "$stamp")" = "${requirements[*]}" ] && [ -x "$python" ]
}

if ready; then
  echo "$python"
  exit 0
fi

mkdir -p "$(dirname "$env_dir")"
lock="$env_dir.lock"
# One installer at a time: a second caller waits for the first instead of clobbering its venv.
exec 9>"$lock"
if command -v flock >/dev/null 2>&1; then
  if ! flock -w 900 9; then
    say "another installation holds $lock for more than 15 minutes; giving up"
    exit 1
  fi
fi

if ready; then
  echo "$python"
  exit 0
fi

if ! command -v python3 >/dev/null 2>&1; then
  say "python3 is not installed; cannot create the Keras environment"
  exit 1
fi

if [ ! -x "$python" ]; then
  say "creating a virtual environment in $env_dir"
  if ! python3 -m venv "$env_dir" >&2; then
    say "python3 -m venv failed (on Debian: apt-get install python3-venv)"
    exit 1
  fi
fi

if ! installed_matches; then
  say "installing ${requirements[*]} (takes about half a minute from a local index)"
  if ! "$python" -m pip install --disable-pip-version-check --retries 0 --timeout 2 "${requirements[@]}" >&2; then
    say "pip could not install ${requirements[*]}: no index holding these wheels is reachable"
    exit 1
  fi
fi

if ! "$python" -c "import keras, tensorflow" >/dev/null 2>&1; then
  say "the environment in $env_dir is installed but 'import keras, tensorflow' fails"
  exit 1
fi

echo "${requirements[*]}" >"$stamp"
echo "$python"
