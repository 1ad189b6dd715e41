"""Writes stand-in image datasets in the Keras dataset cache layout, for machines without network.

STAND-IN DATA, NOT THE REAL DATASETS. The real-world corpora (test/realworld/) load MNIST,
Fashion-MNIST and CIFAR-10 through `keras.datasets`, which downloads them on first use. Offline,
this script writes files of the real datasets' names, formats, shapes, dtypes and value ranges
under DIR (used as KERAS_HOME), so that the unmodified loaders of Keras 3 read them:

    DIR/datasets/mnist.npz                              x_train 60000x28x28 uint8, y_train,
                                                        x_test 10000x28x28, y_test
    DIR/datasets/fashion-mnist/{train,t10k}-{labels-idx1,images-idx3}-ubyte.gz
                                                        the same arrays in the IDX format, gzipped
    DIR/datasets/cifar-10-batches-py-target_archive     a tar of cifar-10-batches-py/ (data_batch_1..5,
                                                        test_batch: pickled {b"data", b"labels"}, 10000
                                                        rows of 3072 uint8 each), as the loader extracts it

The pixels are made up, with the idea of test/realworld/run_keras.py's stand-in (mostly zeros, one
bright shape of 0-255 values an image) but shapes an autoencoder can learn, as it learns digits:
for MNIST a ring, a line or both, white along the stroke and fading at its edge (82% zeros, mean
31; MNIST: 81%, 33); for Fashion-MNIST a filled, shaded box or ellipse (57% zeros, mean 60; the
real one: about 50%, 73); for CIFAR-10 smooth colour fields with noise (mean 127, std 51). Labels
are uniform over the ten classes and say nothing about the image. A program trained on these sees
the real arrays' dtype, shape and range, but what it learns and its losses are not those of the
real datasets.

One thing the cache layout alone cannot do: `keras.datasets.mnist` and `keras.datasets.cifar10`
check the cached file against the real download's sha256 and, when it differs, download it again
(which fails offline and deletes the file). So the script also writes DIR/python/sitecustomize.py
and DIR/datasets/stand-ins.json: with DIR/python on PYTHONPATH, `keras.utils.get_file` also accepts
a file when the loader asks for one of those real hashes and the file is, byte for byte, the
stand-in written here (its own sha256 is in stand-ins.json). Nothing else in Keras changes, and a
real download in the cache is accepted as before. Use:

    KERAS_HOME=DIR PYTHONPATH=DIR/python python program.py

Usage (with the Keras environment's python, scripts/keras-env.sh):
    python scripts/keras-dataset-cache.py DIR [--check]

Idempotent: an up-to-date cache (same format version) is left as it is. --check then loads each
dataset through keras.datasets in a child process with KERAS_HOME and PYTHONPATH set and the
network unreachable (proxy variables pointing nowhere), and prints the shapes.
"""
import argparse
import gzip
import hashlib
import io
import json
import os
import pickle
import struct
import subprocess
import sys
import tarfile
import time

import numpy as np

FORMAT = 2
CHUNK = 5000  # images made at a time
STAMP = "stand-ins.json"

# What the Keras 3 loaders ask get_file for (keras/src/datasets/mnist.py, cifar10.py).
MNIST_SHA256 = "731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1"
CIFAR10_SHA256 = "6d958be074577803d12ecdefd02955f39262c83c16fe9348329d7fe0b5c001ce"
FASHION_FILES = ("train-labels-idx1-ubyte.gz", "train-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz")

SITECUSTOMIZE = '''"""Stand-in datasets (scripts/keras-dataset-cache.py): keras.utils.get_file accepts the stand-in
files listed in $KERAS_HOME/datasets/stand-ins.json in place of the real downloads whose sha256
the loaders check. Written by that script; nothing else is changed."""
import hashlib
import importlib.machinery
import importlib.util
import json
import os
import sys

_HERE = os.path.dirname(os.path.abspath(__file__))


def _stand_ins():
    home = os.environ.get("KERAS_HOME")
    if not home:
        return {}
    try:
        with open(os.path.join(home, "datasets", "stand-ins.json"), encoding="utf-8") as handle:
            return {entry["realSha256"]: entry["sha256"] for entry in json.load(handle)["files"]}
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def _sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _patch(module):
    original = module.validate_file

    def validate_file(fpath, file_hash, algorithm="auto", chunk_size=65535):
        if original(fpath, file_hash, algorithm=algorithm, chunk_size=chunk_size):
            return True
        stand_in = _stand_ins().get(str(file_hash))
        return stand_in is not None and os.path.isfile(fpath) and _sha256(fpath) == stand_in

    module.validate_file = validate_file


class _FileUtilsHook:
    """Patches keras.src.utils.file_utils right after it is first imported."""

    def find_spec(self, name, path=None, target=None):
        if name != "keras.src.utils.file_utils":
            return None
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        if spec is None or spec.loader is None or not hasattr(spec.loader, "exec_module"):
            return spec
        run = spec.loader.exec_module

        def exec_module(module):
            run(module)
            _patch(module)

        spec.loader.exec_module = exec_module
        return spec


sys.meta_path.insert(0, _FileUtilsHook())

# Another sitecustomize further down the path (a distribution's) still runs.
_rest = [p for p in sys.path if os.path.abspath(p or ".") != _HERE]
_next = importlib.machinery.PathFinder.find_spec("sitecustomize", _rest)
if _next is not None and _next.origin and os.path.abspath(_next.origin) != os.path.abspath(__file__):
    _module = importlib.util.module_from_spec(_next)
    _next.loader.exec_module(_module)
'''

README = """STAND-IN DATA, NOT THE REAL DATASETS.

Written by scripts/keras-dataset-cache.py for offline runs of the real-world corpora: files in the
layout, format, shape, dtype and value range of MNIST, Fashion-MNIST and CIFAR-10 as keras.datasets
caches them, filled with made-up images (strokes and shapes on zeros; smooth colour fields). Use with
KERAS_HOME=<this folder's parent> PYTHONPATH=<this folder's parent>/python.
"""


def images_28(rng, n, draw):
    """n 28x28 uint8 images, CHUNK at a time: draw(rng, u, y, x, m) gives m images' pixels, where u(lo, hi)
    draws one uniform number per image and y, x are the pixel grid."""
    images = np.empty((n, 28, 28), dtype=np.uint8)
    y, x = np.mgrid[0:28, 0:28].astype(np.float32)
    for start in range(0, n, CHUNK):
        m = min(CHUNK, n - start)

        def u(lo, hi):
            return rng.uniform(lo, hi, size=(m, 1, 1)).astype(np.float32)

        images[start : start + m] = draw(rng, u, y, x, m)
    return images


def strokes(rng, n):
    """MNIST-like 28x28 uint8 images: a ring (0, 6, 9), a line (1, 7) or both, white (255) along
    the stroke's middle and fading over its edge, on zeros (about 82% of the pixels, as in MNIST)."""

    def draw(rng, u, y, x, m):
        cy, cx, ry, rx = u(9, 19), u(10, 18), u(3, 8), u(2.5, 6)
        ring = np.abs(np.sqrt(((y - cy) / ry) ** 2 + ((x - cx) / rx) ** 2) - 1) * np.minimum(ry, rx)
        y0, x0, y1, x1 = u(4, 12), u(6, 22), u(16, 24), u(6, 22)
        dy, dx = y1 - y0, x1 - x0
        along = np.clip(((y - y0) * dy + (x - x0) * dx) / (dy * dy + dx * dx), 0, 1)
        line = np.hypot(y - (y0 + along * dy), x - (x0 + along * dx))
        kind = rng.integers(0, 3, size=(m, 1, 1))  # 0: ring, 1: line, 2: both
        far = np.float32(99)
        distance = np.minimum(np.where(kind != 1, ring, far), np.where(kind != 0, line, far))
        return (255 * np.clip(1.5 - distance / u(1.0, 1.9), 0, 1)).astype(np.uint8)

    return images_28(rng, n, draw)


def garments(rng, n):
    """Fashion-MNIST-like 28x28 uint8 images: one filled box or ellipse of a grey that shades across
    it, soft-edged, on zeros (about 57% of the pixels)."""

    def draw(rng, u, y, x, m):
        cy, cx, hy, hx = u(12, 16), u(12, 16), u(8, 13), u(6, 12)
        box = np.maximum(np.abs(y - cy) / hy, np.abs(x - cx) / hx)
        ellipse = np.sqrt(((y - cy) / hy) ** 2 + ((x - cx) / hx) ** 2)
        shape = np.where(rng.integers(0, 2, size=(m, 1, 1)) == 0, box, ellipse)
        tone = u(90, 240) + u(-4, 4) * (y - cy) + u(-4, 4) * (x - cx)
        return np.clip(np.clip((1 - shape) * 6, 0, 1) * tone, 0, 255).astype(np.uint8)

    return images_28(rng, n, draw)


def colour_fields(rng, n):
    """n images 3x32x32 uint8 (CIFAR's channels-first rows): smooth colour fields plus noise."""
    # bilinear interpolation from a 5x5 grid of random colours to 32x32, as one matrix each way
    at = np.linspace(0, 4, 32)
    lower = np.floor(at).astype(int).clip(0, 3)
    spread = np.zeros((32, 5), dtype=np.float32)
    spread[np.arange(32), lower] = 1 - (at - lower)
    spread[np.arange(32), lower + 1] = at - lower
    images = np.empty((n, 3, 32, 32), dtype=np.uint8)
    for start in range(0, n, CHUNK):
        m = min(CHUNK, n - start)
        coarse = rng.integers(0, 256, size=(m, 3, 5, 5)).astype(np.float32)
        fine = np.matmul(np.matmul(spread, coarse), spread.T)
        fine += rng.integers(-16, 17, size=fine.shape, dtype=np.int16)
        images[start : start + m] = np.clip(fine, 0, 255).astype(np.uint8)
    return images


def labels(rng, n):
    return rng.integers(0, 10, size=n, dtype=np.uint8)


def sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def idx_gz(path, array):
    """The IDX format the Fashion-MNIST loader reads (it skips an 8- or 16-byte header)."""
    if array.ndim == 1:
        header = struct.pack(">II", 0x00000801, array.shape[0])
    else:
        header = struct.pack(">IIII", 0x00000803, *array.shape)
    with gzip.open(path, "wb", compresslevel=1) as handle:
        handle.write(header)
        handle.write(np.ascontiguousarray(array).tobytes())


def write_mnist(datasets, rng):
    path = os.path.join(datasets, "mnist.npz")
    np.savez(path, x_train=strokes(rng, 60000), y_train=labels(rng, 60000), x_test=strokes(rng, 10000), y_test=labels(rng, 10000))
    return {"name": "mnist.npz", "realSha256": MNIST_SHA256, "sha256": sha256(path)}


def write_fashion(datasets, rng):
    folder = os.path.join(datasets, "fashion-mnist")
    os.makedirs(folder, exist_ok=True)
    arrays = (labels(rng, 60000), garments(rng, 60000), labels(rng, 10000), garments(rng, 10000))
    for name, array in zip(FASHION_FILES, arrays):
        idx_gz(os.path.join(folder, name), array)


def write_cifar10(datasets, rng):
    """The archive get_file extracts into cifar-10-batches-py-target/ on every load."""
    path = os.path.join(datasets, "cifar-10-batches-py-target_archive")
    with tarfile.open(path, "w") as archive:
        names = [f"data_batch_{i}" for i in range(1, 6)] + ["test_batch"]
        for name in names:
            data = colour_fields(rng, 10000).reshape(10000, 3072)
            batch = {b"batch_label": name.encode(), b"labels": labels(rng, 10000).tolist(), b"data": data, b"filenames": [f"{name}_{i}.png".encode() for i in range(10000)]}
            # protocol 4: numpy arrays pickle through numpy's _reconstruct and bytes as bytes, which Keras's restricted unpickler allows (protocol 2 would need _codecs.encode, 5 numpy's _frombuffer)
            blob = pickle.dumps(batch, protocol=4)
            info = tarfile.TarInfo(f"cifar-10-batches-py/{name}")
            info.size = len(blob)
            info.mtime = 0
            archive.addfile(info, io.BytesIO(blob))
    return {"name": "cifar-10-batches-py-target_archive", "realSha256": CIFAR10_SHA256, "sha256": sha256(path)}


def up_to_date(home):
    try:
        with open(os.path.join(home, "datasets", STAMP), encoding="utf-8") as handle:
            stamp = json.load(handle)
    except (OSError, ValueError):
        return False
    datasets = os.path.join(home, "datasets")
    wanted = ["mnist.npz", "cifar-10-batches-py-target_archive"] + [os.path.join("fashion-mnist", f) for f in FASHION_FILES]
    return stamp.get("format") == FORMAT and all(os.path.isfile(os.path.join(datasets, f)) for f in wanted) and os.path.isfile(os.path.join(home, "python", "sitecustomize.py"))


def build(home):
    datasets = os.path.join(home, "datasets")
    python = os.path.join(home, "python")
    os.makedirs(datasets, exist_ok=True)
    os.makedirs(python, exist_ok=True)
    rng = np.random.default_rng(0)
    files = [write_mnist(datasets, rng)]
    write_fashion(datasets, rng)
    files.append(write_cifar10(datasets, rng))
    with open(os.path.join(python, "sitecustomize.py"), "w", encoding="utf-8") as handle:
        handle.write(SITECUSTOMIZE)
    with open(os.path.join(datasets, "STAND-IN-DATA.txt"), "w", encoding="utf-8") as handle:
        handle.write(README)
    with open(os.path.join(datasets, STAMP), "w", encoding="utf-8") as handle:
        json.dump({"format": FORMAT, "note": "stand-in data, not the real datasets (scripts/keras-dataset-cache.py)", "files": files}, handle, indent=1)
        handle.write("\n")


CHECK = """
import keras
for name in ("mnist", "fashion_mnist", "cifar10"):
    (x, y), (xt, yt) = getattr(keras.datasets, name).load_data()
    print(name, x.shape, x.dtype, y.shape, xt.shape, yt.shape, int(x.min()), int(x.max()), round(float((x == 0).mean()), 2), flush=True)
"""


def environment(home):
    """What a run needs to read the cache: KERAS_HOME, and the stand-in hash list's hook first on the path."""
    python = os.path.join(os.path.abspath(home), "python")
    path = os.environ.get("PYTHONPATH")
    return {"KERAS_HOME": os.path.abspath(home), "PYTHONPATH": python + (os.pathsep + path if path else "")}


def check(home):
    env = {**os.environ, **environment(home), "TF_CPP_MIN_LOG_LEVEL": "3"}
    # no network: any download attempt fails at once instead of loading stand-ins silently
    for proxy in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY"):
        env[proxy] = "http://127.0.0.1:9"
    env.pop("no_proxy", None)
    env.pop("NO_PROXY", None)
    result = subprocess.run([sys.executable, "-c", CHECK], env=env, capture_output=True, text=True)
    sys.stdout.write(result.stdout)
    if result.returncode != 0:
        sys.stderr.write(result.stderr[-3000:])
        raise SystemExit(f"keras-dataset-cache: a loader failed on the stand-in cache in {home}")
    if "Downloading" in result.stdout + result.stderr:
        raise SystemExit("keras-dataset-cache: a loader tried to download")


def main():
    parser = argparse.ArgumentParser(description="Stand-in MNIST, Fashion-MNIST and CIFAR-10 in the Keras cache layout (not the real data).")
    parser.add_argument("home", help="the folder to use as KERAS_HOME")
    parser.add_argument("--check", action="store_true", help="load each dataset through keras.datasets offline")
    parser.add_argument("--force", action="store_true", help="write the files again even when up to date")
    options = parser.parse_args()
    started = time.perf_counter()
    if options.force or not up_to_date(options.home):
        build(options.home)
        print(f"keras-dataset-cache: wrote stand-in datasets in {options.home} ({time.perf_counter() - started:.1f} s)", file=sys.stderr)
    if options.check:
        check(options.home)
    # the environment a run needs, as JSON on the last line (measure-realworld.mjs reads it)
    print(json.dumps(environment(options.home)))


if __name__ == "__main__":
    main()
