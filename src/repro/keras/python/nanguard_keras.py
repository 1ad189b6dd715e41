"""nanguard's Keras engine: runs the user's own training program in their own Python, traced.

    PYTHON nanguard_keras.py '<KerasRunRequest JSON>'

The host (src/repro/keras/engine.ts) opens file descriptor 3 as the events pipe; every event is
one JSON line there, as src/repro/keras/events.ts defines them. Run by hand without descriptor 3,
the events go to stderr as lines starting "nanguard-event: ". The program's own stdout and stderr
are left alone. The bootstrap exits 0 whatever the program did (a program error is an event);
2 for a request it cannot read.

How the program is traced:
- `keras.Model.fit` (and `tf_keras.Model.fit` where tf_keras imports) is wrapped. At the first
  fit the data, model and settings are described (`observed`). Observe mode ends the program
  there; train mode runs that fit under the caps with a callback of nanguard's appended to the
  program's own, then ends the program: nothing after the first fit runs.
- A custom training loop is seen through `tf.GradientTape.gradient` (the loss is the target of
  the latest call) and the optimizer's `apply`, which `apply_gradients` calls: each `apply` is
  one step (one `batch`). An epoch begins when a `tf.data.Dataset` is iterated again after a step;
  a loop that iterated no dataset before its first step is counted in epochs of 100 steps.
  Steps inside a `tf.function` are reported through a `tf.py_function` added to the traced step.
- A notebook's code cells run in order as one module, with IPython-only lines (magics, shell
  escapes) blanked as nanguard's notebook front-end blanks them (src/core/frontends/notebookMap.ts):
  a line number is the line in the code cells' joined text, as there.
- The wall-time cap counts from the bootstrap's start (TensorFlow's import included). It stops a
  fit cleanly after the running batch; anything else (a sleeping program, a custom loop) gets an
  exception raised in it by SIGALRM.
"""
import time

_BOOT = time.perf_counter()

import builtins  # noqa: E402
import collections  # noqa: E402
import contextlib  # noqa: E402
import functools  # noqa: E402
import gc  # noqa: E402
import inspect  # noqa: E402
import json  # noqa: E402
import linecache  # noqa: E402
import math  # noqa: E402
import os  # noqa: E402
import platform  # noqa: E402
import re  # noqa: E402
import runpy  # noqa: E402
import signal  # noqa: E402
import sys  # noqa: E402
import sysconfig  # noqa: E402
import threading  # noqa: E402
import traceback  # noqa: E402
import types  # noqa: E402

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

EVENTS_VERSION = 1
EVENTS_FD = 3
FEATURE_LIMIT = 4096
LISTED_COLUMNS = 64
RECENT_BATCH_LOSSES = 12
PROGRESS_SECONDS = 0.1
LAYER_STATS_SECONDS = 0.1
# Rows of the training data a replay runs on when the bad batch's own rows are not known.
REPLAY_ROWS = 4096
# Above this many parameters the weights are not copied at every batch (no replay then).
SNAPSHOT_PARAMETER_LIMIT = 20_000_000
# A custom loop that iterated no dataset is reported in epochs of this many steps.
STEPS_PER_LOOP_EPOCH = 100
# After the wall-time cap a fit gets this long to finish its batch before it is interrupted.
FIT_GRACE_SECONDS = 5.0
# A program that catches the exception ending it is ended this long after.
STOP_RETRY_SECONDS = 2.0
# Values per chunk of rows when computing array statistics (16 MB of float64).
STATS_CHUNK_VALUES = 2_000_000
# Layer calls remembered per custom-loop step (a bound, not a limit met in practice).
RECORDED_CALLS_LIMIT = 10_000

LOSS_ALIASES = {
    "mean_squared_error": "mse", "mean_absolute_error": "mae",
    "mean_absolute_percentage_error": "mape", "mean_squared_logarithmic_error": "msle",
}

# As the code objects of this file name it (a relative path stays relative after the chdir).
BOOTSTRAP_FILES = {__file__, os.path.abspath(__file__)}
# Keras writes bold and colours into its error messages.
ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;]*m")


class _EndProgram(BaseException):
    """Unwinds the program once its final event is sent: nothing after its first fit runs."""


class _Stop(BaseException):
    """Raised into the program by SIGALRM: the wall-time cap, or an end decided on another thread."""

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


def wire(value):
    """A value as the events carry it: non-finite floats as "NaN"/"Infinity"/"-Infinity", numpy values as plain ones."""
    if value is None or isinstance(value, (bool, str, int)):
        return value
    if isinstance(value, float):
        if math.isnan(value):
            return "NaN"
        if math.isinf(value):
            return "Infinity" if value > 0 else "-Infinity"
        return value
    if isinstance(value, dict):
        return {str(key): wire(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [wire(item) for item in value]
    if hasattr(value, "tolist"):
        return wire(value.tolist())
    if hasattr(value, "numpy"):
        try:
            return wire(value.numpy())
        except Exception:
            pass
    return str(value)


class EventChannel:
    """One JSON object a line on descriptor 3, or on stderr with a prefix when 3 is not open."""

    def __init__(self):
        self._lock = threading.Lock()
        try:
            os.fstat(EVENTS_FD)
        except OSError:
            self._stream, self._prefix = sys.__stderr__, "nanguard-event: "
        else:
            # Not inherited: a subprocess the program leaves running must not hold the pipe open.
            os.set_inheritable(EVENTS_FD, False)
            self._stream, self._prefix = os.fdopen(EVENTS_FD, "w", buffering=1, encoding="utf-8"), ""

    def send(self, event):
        line = self._prefix + json.dumps(wire(event), allow_nan=False, separators=(",", ":")) + "\n"
        with self._lock:
            try:
                self._stream.write(line)
                self._stream.flush()
            except (BrokenPipeError, OSError, ValueError):
                pass  # the host is gone; the program is ended by it


# --- numbers ---------------------------------------------------------------------------------

def array_stats(values, np, batches_read=None):
    """ArrayStats (events.ts) of one array, in float64, chunk by chunk of rows.

    Per column: finite count, mean and sum of squared deviations (merged across chunks with Chan's
    formula, so one pass suffices and no float64 copy of the whole array is made), min, max and
    NaN count. The whole array's mean and std follow from the columns'.
    """
    array = np.asarray(values)
    dtype = str(array.dtype)
    if array.dtype.kind not in "biuf":
        array = array.astype("float64")  # a DataFrame of mixed columns, say; raises for text
    rows = array.shape[0] if array.ndim else 1
    flat = array.reshape(rows, -1) if array.ndim else array.reshape(1, 1)
    features = flat.shape[1]
    count_f = np.zeros(features)
    mean_f = np.zeros(features)
    m2_f = np.zeros(features)
    min_f = np.full(features, np.inf)
    max_f = np.full(features, -np.inf)
    nan_f = np.zeros(features, dtype="int64")
    inf_f = np.zeros(features, dtype="int64")
    exact = flat.dtype.kind in "biu"
    step = max(1, STATS_CHUNK_VALUES // max(1, features))
    for start in range(0, rows, step):
        chunk = flat[start:start + step].astype("float64")
        finite = None if exact else np.isfinite(chunk)
        if finite is None or finite.all():
            n = np.full(features, float(chunk.shape[0]))
            mean = chunk.mean(axis=0)
            m2 = np.square(chunk - mean).sum(axis=0)
            low, high = chunk.min(axis=0), chunk.max(axis=0)
        else:
            nan = np.isnan(chunk)
            nan_f += nan.sum(axis=0)
            inf_f += (~finite & ~nan).sum(axis=0)
            n = finite.sum(axis=0).astype("float64")
            with np.errstate(invalid="ignore", divide="ignore"):
                mean = np.where(n > 0, np.where(finite, chunk, 0.0).sum(axis=0) / n, 0.0)
            m2 = np.square(np.where(finite, chunk - mean, 0.0)).sum(axis=0)
            low = np.where(finite, chunk, np.inf).min(axis=0)
            high = np.where(finite, chunk, -np.inf).max(axis=0)
        total = count_f + n
        with np.errstate(invalid="ignore", divide="ignore"):
            delta = mean - mean_f
            share = np.where(total > 0, n / total, 0.0)
            m2_f = m2_f + m2 + np.square(delta) * count_f * share
            mean_f = mean_f + delta * share
        count_f = total
        min_f = np.minimum(min_f, low)
        max_f = np.maximum(max_f, high)

    has = count_f > 0
    finite_total = float(count_f.sum())
    if finite_total > 0:
        grand_mean = float((count_f * mean_f).sum() / finite_total)
        grand_m2 = float(m2_f.sum() + (count_f * np.square(mean_f - grand_mean)).sum())
        whole = {"min": float(min_f[has].min()), "max": float(max_f[has].max()), "mean": grand_mean,
                 "std": math.sqrt(max(0.0, grand_m2 / finite_total))}
    else:
        whole = {"min": None, "max": None, "mean": None, "std": None}
    with np.errstate(invalid="ignore", divide="ignore"):
        std_f = np.sqrt(np.where(has, m2_f / np.where(has, count_f, 1.0), 0.0))
    listed = min(features, FEATURE_LIMIT)

    def column_list(column_values):
        return [float(v) if ok else None for v, ok in zip(column_values[:listed].tolist(), has[:listed].tolist())]

    constant = np.flatnonzero(has & (max_f == min_f))
    nan_columns = np.flatnonzero(nan_f > 0)
    stats = {
        "shape": [int(d) for d in array.shape],
        "dtype": dtype,
        "count": int(array.size),
        "nanCount": int(nan_f.sum()),
        "infCount": int(inf_f.sum()),
        **whole,
        "features": int(features),
        "perFeature": {"min": column_list(min_f), "max": column_list(max_f), "mean": column_list(mean_f), "std": column_list(std_f),
                       "count": [int(v) for v in count_f[:listed].tolist()], "nanCount": [int(v) for v in nan_f[:listed].tolist()],
                       "infCount": [int(v) for v in inf_f[:listed].tolist()]}
        if features > 0 and rows > 0 else None,
        "constantColumns": [int(i) for i in constant[:LISTED_COLUMNS]],
        "constantColumnCount": int(constant.size),
        "nanColumns": [int(i) for i in nan_columns[:LISTED_COLUMNS]],
        "nanColumnCount": int(nan_columns.size),
    }
    if batches_read is not None:
        stats["batchesRead"] = batches_read
    return stats


def describe_values(np, arrays):
    """(count of non-finite values, largest finite magnitude) over some arrays."""
    bad, peak = 0, 0.0
    for array in arrays:
        values = np.asarray(array)
        if values.dtype.kind not in "biuf" or values.size == 0:
            continue
        finite = np.isfinite(values)
        bad += int(values.size - finite.sum())
        if finite.any():
            peak = max(peak, float(np.abs(values[finite]).max()))
    return bad, peak


def kinds_of(np, arrays):
    """Which non-finite values the arrays hold, in words ("NaN", "Infinity", "NaN and Infinity")."""
    nan = any(np.isnan(np.asarray(a)).any() for a in arrays if np.asarray(a).dtype.kind == "f")
    inf = any(np.isinf(np.asarray(a)).any() for a in arrays if np.asarray(a).dtype.kind == "f")
    return " and ".join(word for word, present in (("NaN", nan), ("Infinity", inf)) if present) or "non-finite values"


def fmt(value):
    return f"{value:.3g}" if isinstance(value, float) and math.isfinite(value) else str(wire(value))


# --- notebooks -------------------------------------------------------------------------------

# Cell magics whose body is not Python: the whole cell is blanked (as notebookMap.ts does).
FOREIGN_CELL_MAGICS = {
    "bash", "sh", "script", "html", "javascript", "js", "latex", "markdown", "perl", "ruby", "svg",
    "writefile", "file", "sql", "R", "r", "system",
}
# `%magic`, `!cmd`, `x = !cmd`, `x = %magic`, `model.fit?`: not Python, blanked.
IPYTHON_LINE = re.compile(r"^(\s*)(?:[%!]|[A-Za-z_][\w.,\s]*=\s*[%!]|[\w.]+\?{1,2}\s*$|\?)", re.ASCII)


def _blank_ipython_line(line):
    match = IPYTHON_LINE.match(line)
    if not match:
        return line
    return match.group(1) + "pass" if match.group(1) else ""


def notebook_source(path):
    """The code cells of a notebook as one Python text, line for line as notebookMap.ts joins them."""
    with open(path, encoding="utf-8") as handle:
        notebook = json.load(handle)
    cells = notebook.get("cells")
    if cells is None and notebook.get("worksheets"):
        cells = notebook["worksheets"][0].get("cells", [])  # nbformat 3
    lines = []
    for cell in cells or []:
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        source = cell.get("source", cell.get("input", ""))
        if isinstance(source, list):
            source = "".join(part for part in source if isinstance(part, str))
        cell_lines = re.split(r"\r\n|\r|\n", source if isinstance(source, str) else "")
        first = cell_lines[0].strip()
        if first.startswith("%%"):
            magic = re.split(r"\s+", first[2:])[0]
            if magic in FOREIGN_CELL_MAGICS:
                cell_lines = [""] * len(cell_lines)
            else:  # %%time, %%capture: the body is Python
                cell_lines = [""] + [_blank_ipython_line(line) for line in cell_lines[1:]]
        else:
            cell_lines = [_blank_ipython_line(line) for line in cell_lines]
        lines.extend(cell_lines)
    return "\n".join(lines)


def _display(*objects, **_options):
    """IPython's `display`, as a notebook run outside IPython can have it: printed."""
    for item in objects:
        print(repr(item))


# --- Keras implementations -------------------------------------------------------------------

class Framework:
    """One Keras implementation to trace: Keras 3, or tf_keras (Keras 2) where it imports."""

    def __init__(self, module, functional_class):
        self.keras = module
        self.functional_class = functional_class
        self.optimizer_class = module.optimizers.Optimizer
        # Keras 3's apply_gradients calls apply; tf_keras has apply_gradients only.
        self.apply_method = "apply" if hasattr(self.optimizer_class, "apply") else "apply_gradients"

    def is_subclassed(self, model):
        if isinstance(model, self.keras.Sequential) or getattr(model, "_is_graph_network", False):
            return False
        return not (self.functional_class is not None and isinstance(model, self.functional_class))


def leaf_layers(model, framework, include_input=False):
    """The model's layers that hold no layers of their own, depth first: a functional model's in
    graph order (its `layers`), any other layer's in the order it tracks them."""
    leaves, seen = [], set()

    def visit(layer):
        if id(layer) in seen:
            return
        seen.add(id(layer))
        if isinstance(layer, framework.keras.Model):
            children = list(layer.layers)
        else:
            children = list(layer._flatten_layers(include_self=False, recursive=False))
        if not children and layer is not model:
            if include_input or not isinstance(layer, framework.keras.layers.InputLayer):
                leaves.append(layer)
        for child in children:
            visit(child)

    visit(model)
    return leaves


def weight_arrays(np, weights):
    return [np.asarray(w.numpy() if hasattr(w, "numpy") else w, dtype="float64") for w in weights]


def l2_norm(np, arrays):
    if not arrays:
        return None
    return math.sqrt(sum(float(np.square(a).sum()) for a in arrays))


class Recorder:
    """Outputs of the layer calls made while it listens (eager calls only)."""

    def __init__(self):
        self.calls = []

    def add(self, layer, inputs, outputs):
        if len(self.calls) < RECORDED_CALLS_LIMIT:
            self.calls.append((layer, inputs, outputs))


class ReplayCapture:
    """What one replayed training step computed: its loss and its gradients (the update is skipped)."""

    def __init__(self):
        self.loss = None
        self.gradients = None
        self.variables = None


class Engine:
    """The run: the request, the hooks into Keras and TensorFlow, and the one final event."""

    def __init__(self, request, channel, np, tf, keras, bounds):
        self.request = request
        self.channel = channel
        self.np, self.tf, self.keras, self.bounds = np, tf, keras, bounds
        self.mode = request["mode"]
        self.caps = request["caps"]
        self.program = os.path.abspath(request["file"])
        self._program_norm = os.path.normcase(os.path.realpath(self.program))
        self.frameworks = []
        self.finished = False
        self.fit = None  # the FitSession of the first fit
        self.loop = None  # the CustomLoop of the first optimizer step outside fit
        self.in_fit = False
        self.internal = 0  # nanguard's own use of the program's objects (statistics, probes)
        self.recorder = None  # set while nanguard itself runs the model and listens to its layers
        self.replay = None  # the ReplayCapture of a replayed step
        self.tape_depth = 0
        self.loop_recorder = Recorder()
        self.loop_target = None
        self.datasets_before_first_step = []
        self.program_started = None
        self._apply_depth = 0
        self._protected = 0
        self._pending_stop = None
        self._stop_raised = False
        self._library_roots = self._libraries()
        self._file_kinds = {}
        self._main_thread = threading.main_thread()
        self._graph_lock = threading.Lock()  # py_function reports come on TensorFlow's threads

    # --- where ---------------------------------------------------------------------------

    def _libraries(self):
        roots = {os.path.dirname(os.path.abspath(module.__file__)) for module in (self.np, self.tf, self.keras) if getattr(module, "__file__", None)}
        for key in ("stdlib", "platstdlib", "purelib", "platlib"):
            path = sysconfig.get_paths().get(key)
            if path:
                roots.add(os.path.abspath(path))
        return tuple(os.path.normcase(root) + os.sep for root in roots)

    def _file_kind(self, filename):
        kind = self._file_kinds.get(filename)
        if kind is None:
            normal = os.path.normcase(os.path.realpath(filename)) if not filename.startswith("<") else filename
            if normal == self._program_norm and filename not in BOOTSTRAP_FILES:
                kind = "program"
            elif filename.startswith("<") or filename in BOOTSTRAP_FILES or normal.startswith(self._library_roots):
                kind = "library"
            else:
                kind = "user"
            self._file_kinds[filename] = kind
        return kind

    def location(self, frame):
        """The program's own frame among `frame` and its callers; else the first outside the libraries."""
        fallback = None
        while frame is not None:
            filename = frame.f_code.co_filename
            kind = self._file_kind(filename)
            if kind == "program":
                return {"file": self.request["file"], "line": frame.f_lineno}
            if kind == "user" and fallback is None:
                fallback = {"file": filename, "line": frame.f_lineno}
            frame = frame.f_back
        return fallback

    def variable_of(self, frame, value):
        """The program's name for `value` (the model `fit` was called on, or that a custom loop
        trains) in the nearest of its own frames that names it: a step function that reaches
        the model through an argument leaves the name to its caller."""
        while frame is not None:
            if self._file_kind(frame.f_code.co_filename) == "program":
                for scope in (frame.f_locals, frame.f_globals):
                    for name, bound in list(scope.items()):
                        if bound is value and not name.startswith("_"):
                            return name
            frame = frame.f_back
        return None

    # --- the final event and stopping --------------------------------------------------

    def send(self, event):
        if not self.finished:
            self.channel.send(event)

    def finish(self, event):
        """Sends the one final event; a program that goes on after it is stopped shortly after."""
        if self.finished:
            return
        self.channel.send(event)
        self.finished = True
        self._pending_stop = "end"
        self._arm(STOP_RETRY_SECONDS)

    @contextlib.contextmanager
    def protected(self):
        """nanguard's own work inside the program: the wall-time alarm waits until it is over."""
        self._protected += 1
        try:
            yield
        finally:
            self._protected -= 1

    @contextlib.contextmanager
    def nanguard_owned(self):
        """nanguard iterating or calling the program's objects: none of it is the program's training."""
        self.internal += 1
        try:
            with self.protected():
                yield
        finally:
            self.internal -= 1

    def _arm(self, seconds):
        if hasattr(signal, "setitimer"):
            signal.setitimer(signal.ITIMER_REAL, max(0.0, seconds))

    def stop_handled(self):
        """A _Stop was caught where the run goes on to report: no follow-up alarm."""
        self._stop_raised = False
        self._arm(0)

    def request_stop(self, reason):
        """Ends the program from another thread (a tf.function's step): SIGALRM to the main thread."""
        self._pending_stop = reason
        if hasattr(signal, "pthread_kill"):
            signal.pthread_kill(self._main_thread.ident, signal.SIGALRM)
        else:
            os._exit(0)

    def _on_alarm(self, signum, frame):
        if self._protected:
            self._arm(0.05)
            return
        if self._stop_raised:
            # The program caught what was to end it and went on: end it here.
            if not self.finished:
                self.finish(self.wall_time_done())
            sys.stdout.flush()
            os._exit(0)
        reason = self._pending_stop or "wall-time"
        if reason == "wall-time" and self.fit is not None and self.fit.training and not self.fit.wall_stop_requested:
            self.fit.request_wall_stop()
            self._arm(FIT_GRACE_SECONDS)
            return
        self._stop_raised = True
        self._arm(STOP_RETRY_SECONDS)
        raise _Stop(reason)

    def _watchdog(self, deadline):
        """Where there is no SIGALRM (Windows): at the cap, report and end the process."""
        time.sleep(max(0.0, deadline - time.perf_counter()))
        if self.fit is not None and self.fit.training:
            self.fit.request_wall_stop()
            time.sleep(FIT_GRACE_SECONDS)
        if not self.finished:
            self.finish(self.wall_time_done())
        os._exit(0)

    def wall_time_done(self):
        if self.fit is not None and self.fit.observed_sent:
            self.fit.stopped = self.fit.stopped or "wall-time"
            return self.fit.done_event()
        if self.loop is not None:
            return self.loop.done_event("wall-time")
        ran = time.perf_counter() - (self.program_started or _BOOT)
        where = "before the program started (while loading TensorFlow)" if self.program_started is None else f"after the program ran {ran:.1f} s without reaching fit"
        return self.empty_done([f"The wall-time cap of {self.caps['maxSeconds']} s was reached {where}."], stopped="wall-time")

    def empty_done(self, notes, stopped=None, epochs_planned=0, bounds=None, layers=None):
        return {
            "type": "done", "history": {"loss": [], "val_loss": []}, "epochsRun": 0, "epochsPlanned": epochs_planned,
            "shortenedTo": None, "stopped": stopped,
            "bounds": bounds or {"meanPredictor": None, "outputFloor": None, "outputRange": None, "lossFloor": None},
            "layers": layers or [], "notes": notes,
            "timings": {"programMs": self.program_ms(), "trainMs": 0, "perEpochMs": 0},
        }

    def program_ms(self):
        return round((time.perf_counter() - (self.program_started or _BOOT)) * 1000)

    # --- hooks ---------------------------------------------------------------------------

    def install(self):
        keras = self.keras
        functional = getattr(getattr(getattr(keras, "src", None), "models", None), "functional", None)
        self.frameworks.append(Framework(keras, getattr(functional, "Functional", None)))
        self._install_tf_keras()
        for framework in self.frameworks:
            self._hook_framework(framework)
        self._hook_tensorflow()

    def _install_tf_keras(self):
        """tf_keras (Keras 2, TF_USE_LEGACY_KERAS) is traced too where it is installed and imports."""
        import importlib.util

        if importlib.util.find_spec("tf_keras") is None:
            return
        try:
            import tf_keras
            from tf_keras.src.engine.functional import Functional
        except Exception:
            return
        self.frameworks.append(Framework(tf_keras, Functional))

    def _hook_framework(self, framework):
        engine, tf = self, self.tf
        model_class, layer_class, optimizer_class = framework.keras.Model, framework.keras.layers.Layer, framework.optimizer_class
        original_fit = model_class.fit
        original_call = layer_class.__call__
        original_apply = getattr(optimizer_class, framework.apply_method)

        def fit(model, *args, **kwargs):
            if engine.in_fit or engine.finished:
                return original_fit(model, *args, **kwargs)
            return engine.on_fit(framework, original_fit, model, args, kwargs, sys._getframe(1))

        def call(layer, *args, **kwargs):
            outputs = original_call(layer, *args, **kwargs)
            recorder = engine.recorder
            if recorder is None and engine.tape_depth > 0 and not engine.in_fit and not engine.internal:
                recorder = engine.loop_recorder
            if recorder is not None and tf.executing_eagerly():
                recorder.add(layer, args[0] if args else None, outputs)
            return outputs

        def apply(optimizer, grads, *args, **kwargs):
            if engine._apply_depth:
                return original_apply(optimizer, grads, *args, **kwargs)
            engine._apply_depth += 1
            try:
                if framework.apply_method == "apply_gradients":
                    pairs = list(grads)
                    gradients, variables = [g for g, _ in pairs], [v for _, v in pairs]
                    grads = pairs
                else:
                    gradients = list(grads)
                    variables = args[0] if args else kwargs.get("trainable_variables")
                    variables = list(variables) if variables is not None else list(getattr(optimizer, "_trainable_variables", []))
                    grads = gradients
                if engine.replay is not None:
                    engine.replay.gradients, engine.replay.variables = gradients, variables
                    return None  # the replayed step only computes; the update is not made
                if not engine.in_fit and not engine.finished and not engine.internal:
                    engine.on_optimizer_step(framework, optimizer, gradients, variables, sys._getframe(1))
                return original_apply(optimizer, grads, *args, **kwargs)
            finally:
                engine._apply_depth -= 1

        for wrapper, original in ((fit, original_fit), (call, original_call), (apply, original_apply)):
            functools.update_wrapper(wrapper, original)
        model_class.fit = fit
        layer_class.__call__ = call
        setattr(optimizer_class, framework.apply_method, apply)

    def _hook_tensorflow(self):
        engine, tf = self, self.tf
        tape_class, dataset_class = tf.GradientTape, tf.data.Dataset
        original_gradient, original_enter, original_exit = tape_class.gradient, tape_class.__enter__, tape_class.__exit__
        original_iter = dataset_class.__iter__

        def gradient(tape, target, *args, **kwargs):
            result = original_gradient(tape, target, *args, **kwargs)
            if engine.replay is not None:
                engine.replay.loss = target
            elif not engine.in_fit and not engine.internal and not engine.finished:
                engine.loop_target = target
            return result

        def enter(tape):
            result = original_enter(tape)
            if engine.tape_depth == 0 and engine.recorder is None and not engine.in_fit:
                engine.loop_recorder.calls.clear()  # a new step's forward pass begins
            engine.tape_depth += 1
            return result

        def exit_(tape, *exc_info):
            engine.tape_depth = max(0, engine.tape_depth - 1)
            return original_exit(tape, *exc_info)

        def iterate(dataset):
            iterator = original_iter(dataset)
            if not engine.in_fit and not engine.internal and not engine.finished and tf.executing_eagerly():
                engine.on_dataset_iterated(dataset)
            return iterator

        for wrapper, original in ((gradient, original_gradient), (enter, original_enter), (exit_, original_exit), (iterate, original_iter)):
            functools.update_wrapper(wrapper, original)
        tape_class.gradient, tape_class.__enter__, tape_class.__exit__ = gradient, enter, exit_
        dataset_class.__iter__ = iterate

    # --- what the hooks do ---------------------------------------------------------------

    def on_fit(self, framework, original_fit, model, args, kwargs, caller):
        if self.loop is not None:
            # A custom loop ran before this fit: that loop was the training; it ends here.
            self.finish(self.loop.done_event(None, ["The program called fit after its custom loop; the run ends there."]))
            raise _EndProgram()
        self.model_variable = self.variable_of(caller, model)
        session = FitSession(self, framework, original_fit, model, args, kwargs, self.location(caller))
        self.fit = session
        session.run()  # sends the final event
        raise _EndProgram()

    def on_dataset_iterated(self, dataset):
        if self.loop is None:
            self.datasets_before_first_step.append(dataset)
        else:
            self.loop.on_dataset_iterated()

    def on_optimizer_step(self, framework, optimizer, gradients, variables, caller):
        if self.tf.executing_eagerly():
            target, self.loop_target = self.loop_target, None
            with self.protected():
                loop = self._loop(framework, optimizer, variables, self.location(caller), caller)
                loop.eager_step(gradients, variables, target, list(self.loop_recorder.calls))
        else:
            self._graph_step(framework, optimizer, gradients, variables, caller)

    def _loop(self, framework, optimizer, variables, at, caller):
        if self.loop is None:
            self.loop = CustomLoop(self, framework, optimizer, variables, at, caller)
        return self.loop

    def _graph_step(self, framework, optimizer, gradients, variables, caller):
        """A step traced inside a tf.function: a py_function reports it each time the step runs."""
        tf = self.tf
        at = self.location(caller)
        target, self.loop_target = self.loop_target, None
        graph = tf.compat.v1.get_default_graph()
        loss_known = target is not None and getattr(tf.nest.flatten(target)[0], "graph", None) is graph
        loss = tf.cast(scalar_loss(tf, target), "float32") if loss_known else tf.constant(float("nan"), "float32")
        present = [i for i, g in enumerate(gradients) if g is not None]
        flags = [tf.reduce_all(tf.math.is_finite(tf.convert_to_tensor(gradients[i]))) for i in present]
        engine = self

        def report(loss_value, *finite_flags):
            with engine._graph_lock:
                if engine.finished:
                    return
                # The tracing frame (kept by this closure) names the model; the step runs later.
                loop = engine._loop(framework, optimizer, variables, at, caller)
                bad = [variables[present[i]] for i, ok in enumerate(finite_flags) if not bool(ok)]
                loop.graph_step(float(loss_value) if loss_known else None, bad)
                if engine.finished:
                    engine.request_stop("end")

        tf.py_function(report, [loss] + flags, Tout=[])

    # --- the program -----------------------------------------------------------------------

    def run_program(self):
        """Runs the program as __main__ and sends the final event for however it ended."""
        if hasattr(signal, "setitimer"):
            signal.signal(signal.SIGALRM, self._on_alarm)
        remaining = self.caps["maxSeconds"] - (time.perf_counter() - _BOOT)
        if remaining <= 0:
            self.finish(self.wall_time_done())
            return
        if hasattr(signal, "setitimer"):
            self._arm(remaining)
        else:
            threading.Thread(target=self._watchdog, args=(time.perf_counter() + remaining,), daemon=True).start()
        folder = os.path.dirname(self.program)
        os.chdir(folder)
        sys.path[0] = folder
        sys.argv = [self.program]
        if self.request.get("seed") is not None:
            self.keras.utils.set_random_seed(int(self.request["seed"]))
        self.program_started = time.perf_counter()
        try:
            if self.program.lower().endswith(".ipynb"):
                self._run_notebook()
            else:
                runpy.run_path(self.program, run_name="__main__")
        except _EndProgram:
            pass
        except _Stop as stop:
            if stop.reason == "wall-time" and not self.finished:
                self.finish(self.wall_time_done())
        except SystemExit as exit_:
            self._arm(0)
            if self.loop is not None:
                self.finish(self.loop.done_event(None, [f"The program called sys.exit({exit_.code!r}) after its custom loop."]))
            elif not self.finished:
                self.finish({"type": "noFit", "message": f"the program called sys.exit({exit_.code!r}) before any fit or optimizer step"})
        except KeyboardInterrupt:
            raise
        except BaseException as error:  # noqa: BLE001 - every way the program can fail is reported
            self._arm(0)
            if not self.finished:
                self.finish(self.program_error(error))
        else:
            self._arm(0)
            if self.loop is not None:
                self.finish(self.loop.done_event(None))
            elif not self.finished:
                self.finish({"type": "noFit", "message": "the program ended without calling fit or stepping an optimizer"})
        finally:
            self._arm(0)

    def _run_notebook(self):
        source = notebook_source(self.program)
        code = compile(source, self.program, "exec")
        # Tracebacks show the joined cells' lines.
        linecache.cache[self.program] = (len(source), None, [line + "\n" for line in source.split("\n")], self.program)
        module = types.ModuleType("__main__")
        module.__dict__.update(__file__=self.program, __builtins__=builtins, display=_display)
        saved = sys.modules.get("__main__")
        sys.modules["__main__"] = module
        try:
            exec(code, module.__dict__)
        finally:
            sys.modules["__main__"] = saved

    def program_error(self, error):
        # The bootstrap's and runpy's frames are not the program's.
        frames = [frame for frame in traceback.extract_tb(error.__traceback__)
                  if frame.filename not in BOOTSTRAP_FILES and not frame.filename.endswith(os.sep + "runpy.py")]
        lines = "".join(traceback.StackSummary.from_list(frames).format() + traceback.format_exception_only(type(error), error))
        at = None
        for frame in frames:
            if self._file_kind(frame.filename) == "program":
                at = {"file": self.request["file"], "line": frame.lineno}
        if at is None and isinstance(error, SyntaxError) and error.filename and self._file_kind(error.filename) == "program":
            at = {"file": self.request["file"], "line": error.lineno or 1}
        during = (self.fit is not None) or (self.loop is not None)
        return {
            "type": "programError", "phase": "during-fit" if during else "before-fit",
            "exception": type(error).__name__, "message": ANSI_ESCAPE.sub("", str(error)),
            "traceback": ANSI_ESCAPE.sub("", lines).rstrip("\n").split("\n")[-8:], "at": at,
        }


def scalar_loss(tf, target):
    """A gradient target as one number: itself when scalar, else its mean (a sum of targets' means)."""
    parts = [tf.reduce_mean(tf.cast(t, "float32")) for t in tf.nest.flatten(target) if t is not None]
    return parts[0] if len(parts) == 1 else tf.add_n(parts)


# --- what the program trains ---------------------------------------------------------------

def describe_model(engine, framework, model, notes):
    """The `observed.model` fields."""
    subclassed = framework.is_subclassed(model)
    try:
        parameters = int(model.count_params())
    except Exception:
        parameters = 0
        notes.append(f"{model.name} was not built before fit (a subclassed model builds on its first batch), so its parameter count is given as 0.")
    model_json = None
    if not subclassed:  # a subclassed model's JSON names its class, not its layers
        try:
            model_json = model.to_json()
        except Exception:
            model_json = None
    return {"name": model.name, "variable": getattr(engine, "model_variable", None), "className": type(model).__name__, "parameters": parameters, "subclassed": subclassed,
            "json": model_json, "outputActivation": output_activation(framework, model)}


def output_layer(framework, model):
    """The layer producing the model's (first) output: from the graph where there is one, else the last leaf."""
    outputs = getattr(model, "outputs", None) if not framework.is_subclassed(model) else None
    if outputs:
        history = getattr(outputs[0], "_keras_history", None)
        if history is not None:
            return history[0]
    leaves = leaf_layers(model, framework)
    return leaves[-1] if leaves else None


def output_activation(framework, model):
    activation = getattr(output_layer(framework, model), "activation", None)
    return getattr(activation, "__name__", None)


def describe_optimizer(keras, np, optimizer):
    if optimizer is None or isinstance(optimizer, str):
        return None
    learning_rate = None
    raw = getattr(optimizer, "_learning_rate", None)
    if not isinstance(raw, keras.optimizers.schedules.LearningRateSchedule) and not callable(raw):
        try:
            learning_rate = float(np.asarray(optimizer.learning_rate))
        except Exception:
            learning_rate = None
    try:
        config = json.loads(json.dumps(wire(optimizer.get_config()), allow_nan=False))
    except Exception:
        config = {}
    return {"className": type(optimizer).__name__, "learningRate": learning_rate, "config": config}


def loss_name(keras, loss, notes):
    """The compiled loss as Keras names it: 'mse', 'binary_crossentropy', a function's own name."""
    if loss is None:
        return None
    if isinstance(loss, (list, tuple)) and loss:
        notes.append("The model has several losses; the first one is reported.")
        return loss_name(keras, loss[0], notes)
    if isinstance(loss, dict) and loss:
        notes.append("The model has a loss per output; the first one is reported.")
        return loss_name(keras, next(iter(loss.values())), notes)
    if isinstance(loss, str):
        name = loss
    elif callable(getattr(loss, "fn", None)):  # a LossFunctionWrapper: MeanSquaredError, BinaryCrossentropy
        name = loss.fn.__name__
    elif isinstance(loss, keras.losses.Loss):
        name = re.sub(r"(?<!^)(?=[A-Z])", "_", type(loss).__name__).lower()
    else:
        name = getattr(loss, "__name__", type(loss).__name__)
    return LOSS_ALIASES.get(name, name)


def as_array(np, value, what, notes):
    """An array from what fit accepts: arrays, tensors, lists, DataFrames; the first of a dict or list of inputs."""
    if value is None:
        return None
    if isinstance(value, dict):
        if not value:
            return None
        key = next(iter(value))
        notes.append(f"{what} is a dict of inputs; the statistics describe its first, '{key}'.")
        return as_array(np, value[key], what, [])
    if isinstance(value, (list, tuple)) and value and (hasattr(value[0], "shape") or hasattr(value[0], "to_numpy")):
        notes.append(f"{what} is a list of {len(value)} inputs; the statistics describe the first.")
        return as_array(np, value[0], what, [])
    if hasattr(value, "to_numpy"):
        return value.to_numpy()
    if isinstance(value, (list, tuple)) or hasattr(value, "__array__") or hasattr(value, "shape"):
        return np.asarray(value)
    return None


def to_model_input(tf, keras, np, array):
    """A numpy array as fit would feed it: floats in Keras's float type, other types as they are."""
    if array.dtype.kind == "f":
        return tf.convert_to_tensor(array.astype(keras.backend.floatx()))
    return tf.convert_to_tensor(array)


class FitSession:
    """The program's first `fit`: observed, then (train mode) run under the caps and traced."""

    def __init__(self, engine, framework, original_fit, model, args, kwargs, at):
        self.engine = engine
        self.np, self.tf = engine.np, engine.tf
        self.keras = framework.keras
        self.framework = framework
        self.original_fit = original_fit
        self.model = model
        signature = inspect.signature(original_fit)
        bound = signature.bind(model, *args, **kwargs)
        # The program's own arguments go to fit as given (Keras's defaults stay Keras's);
        # `arguments` reads them with the defaults filled in.
        self.given = dict(bound.arguments)
        self.given.pop(next(iter(signature.parameters)))  # the model
        for name, parameter in signature.parameters.items():
            if parameter.kind is inspect.Parameter.VAR_KEYWORD and name in self.given:
                self.given.update(self.given.pop(name))
        bound.apply_defaults()
        self.arguments = dict(bound.arguments)
        self.arguments.pop(next(iter(signature.parameters)))
        self.at = at
        self.notes = []
        self.observed_sent = False
        self.training = False
        self.wall_stop_requested = False
        self.stopped = None
        self.shortened_to = None
        self.epochs_planned = 0
        self.epochs = []  # (loss, val_loss) per epoch
        self.layers = []
        self.train_started = None
        self.train_ended = None
        self.loss_key = "loss"
        self.step_note_given = False
        self.x = self.y = None  # the training arrays (or the batches read of a dataset)
        self.train_rows = None  # rows of x that train (validation_split takes the rest)
        self.dataset = None
        self.non_finite = None
        self.replay_gradients = None  # per layer, from the replay of a non-finite batch
        self.non_finite_inputs = (0, 0)  # NaN and infinite values in x and y, from their statistics

    # --- observed ----------------------------------------------------------------------

    def run(self):
        engine = self.engine
        with engine.protected():
            observed = self.observe()
            engine.send(observed)
            self.observed_sent = True
            if engine.mode == "observe":
                engine.finish(self.observe_done(observed))
                return
        self.train()
        with engine.protected():
            # Past the time cap the last epoch's statistics stand: they are of the same weights, and
            # computing them again (10 s for an LSTM(512) over 672 steps) let the host's backstop end
            # the run before its result.
            last = getattr(self, "last_epoch_layers", None)
            self.layers = last if self.stopped == "wall-time" and last is not None else self.layer_stats(self.replay_gradients)
            engine.finish(self.done_event())

    def observe(self):
        np, tf = self.np, self.tf
        args = self.arguments
        x_arg, y_arg = args.get("x"), args.get("y")
        x_stats = y_stats = validation = None
        y_is_x = False
        if isinstance(x_arg, tf.data.Dataset):
            self.dataset = x_arg
            x_stats, y_stats, y_is_x = self.read_dataset(x_arg)
        else:
            try:
                self.x = as_array(np, x_arg, "x", self.notes)
                if y_arg is None or y_arg is x_arg:
                    self.y, y_is_x = self.x, self.x is not None
                else:
                    self.y = as_array(np, y_arg, "y", self.notes)
                    y_is_x = self.x is not None and self.y is not None and self.x.shape == self.y.shape and bool(np.array_equal(self.x, self.y))
                if self.x is None and x_arg is not None:
                    self.notes.append(f"fit was given {type(x_arg).__name__} as x, which nanguard does not read; its statistics are not known.")
                x_stats = self.stats(self.x, "x")
                y_stats = x_stats if y_is_x and self.y.dtype == self.x.dtype else self.stats(self.y, "y")
            except Exception as error:
                self.notes.append(f"The training data could not be read as arrays ({type(error).__name__}: {error}).")
            if self.x is not None:
                self.train_rows = self.x.shape[0] if self.x.ndim else 1
                split = float(args.get("validation_split") or 0.0)
                if split and args.get("validation_data") is None:
                    # Keras takes the last rows: split_at = floor(rows * (1 - split)).
                    self.train_rows = int(math.floor(self.train_rows * (1.0 - split)))
                    validation = {"x": self.stats(self.x[self.train_rows:], "validation x"),
                                  "y": self.stats(self.y[self.train_rows:], "validation y") if self.y is not None else None}
        self.non_finite_inputs = tuple(sum((stats or {}).get(key, 0) for stats in (x_stats, None if y_is_x else y_stats)) for key in ("nanCount", "infCount"))
        validation_data = args.get("validation_data")
        if validation_data is not None:
            validation = self.read_validation(validation_data)
        model = self.model
        return {
            "type": "observed", "at": self.at, "kind": "fit",
            "model": describe_model(self.engine, self.framework, model, self.notes),
            "optimizer": describe_optimizer(self.keras, np, getattr(model, "optimizer", None)),
            "loss": loss_name(self.keras, getattr(model, "loss", None), self.notes),
            "fit": {
                "epochs": args.get("epochs"),
                "batchSize": self.batch_size(),
                "shuffle": args.get("shuffle"),
                "validationSplit": float(args.get("validation_split") or 0.0),
                "stepsPerEpoch": args.get("steps_per_epoch"),
            },
            "x": x_stats, "y": y_stats, "validation": validation, "yIsX": bool(y_is_x),
        }

    def batch_size(self):
        size = self.arguments.get("batch_size")
        if size is None and self.dataset is None and self.x is not None:
            return 32  # Keras's default for arrays
        return size

    def stats(self, array, what, batches_read=None):
        if array is None:
            return None
        try:
            return array_stats(array, self.np, batches_read)
        except Exception as error:
            self.notes.append(f"The statistics of {what} could not be computed ({type(error).__name__}: {error}).")
            return None

    def read_dataset(self, dataset):
        """Statistics over the first `datasetBatches` batches of a tf.data dataset."""
        np = self.np
        wanted = int(self.engine.request.get("datasetBatches") or 1)
        xs, ys, same, read = [], [], True, 0
        try:
            with self.engine.nanguard_owned():
                for element in dataset.take(wanted):
                    x_part, y_part = split_element(element)
                    x_batch = np.asarray(first_leaf(x_part))
                    xs.append(x_batch)
                    if y_part is not None:
                        y_batch = np.asarray(first_leaf(y_part))
                        ys.append(y_batch)
                        same = same and y_batch.shape == x_batch.shape and bool(np.array_equal(x_batch, y_batch))
                    read += 1
        except Exception as error:
            self.notes.append(f"The dataset could not be read for statistics ({type(error).__name__}: {error}).")
            return None, None, False
        if not xs:
            return None, None, False
        spec = first_leaf(split_element(dataset.element_spec)[0])
        batched = getattr(spec, "shape", None) is not None and spec.shape.rank and spec.shape[0] is None
        join = np.concatenate if batched else np.stack
        self.x = join(xs)
        self.y = join(ys) if ys else self.x
        self.train_rows = self.x.shape[0]
        if _has_shuffle(dataset):
            self.notes.append("Reading the dataset's first batches for the statistics iterated it once more, so a dataset that reshuffles on each iteration showed fit another order than a plain run would.")
        x_stats = self.stats(self.x, "x", read)
        y_stats = x_stats if not ys else self.stats(self.y, "y", read)
        return x_stats, y_stats, (not ys) or same

    def read_validation(self, data):
        np, tf = self.np, self.tf
        if isinstance(data, tf.data.Dataset):
            saved = (self.x, self.y, self.train_rows, self.dataset)
            x_stats, y_stats, _ = self.read_dataset(data)
            self.x, self.y, self.train_rows, self.dataset = saved
            return {"x": x_stats, "y": y_stats}
        if isinstance(data, (list, tuple)) and data:
            vx = as_array(np, data[0], "validation x", self.notes)
            vy = as_array(np, data[1], "validation y", self.notes) if len(data) > 1 and data[1] is not None else None
            return {"x": self.stats(vx, "validation x"), "y": self.stats(vy, "validation y")}
        return None

    def observe_done(self, observed):
        notes = self.notes + ["Observe mode: the program was stopped at its first fit, before any training."]
        layers = self.layer_stats(None) if self.is_built() else []
        return self.engine.empty_done(notes, epochs_planned=self.planned_epochs(), bounds=self.bounds(), layers=layers)

    def is_built(self):
        return bool(getattr(self.model, "built", False)) and bool(self.model.weights)

    def planned_epochs(self):
        epochs = int(self.arguments.get("epochs") or 1) - int(self.arguments.get("initial_epoch") or 0)
        return max(0, min(epochs, int(self.engine.caps["maxEpochs"])))

    def bounds(self):
        output_act = output_activation(self.framework, self.model)
        name = loss_name(self.keras, getattr(self.model, "loss", None), [])
        targets = self.y[: self.train_rows] if self.y is not None and self.train_rows is not None else self.y
        try:
            return self.engine.bounds.loss_bounds_record(name, targets, output_act)
        except Exception as error:
            self.notes.append(f"The loss bounds could not be computed ({type(error).__name__}: {error}).")
            return self.engine.bounds.loss_bounds_record(None, None, output_act)

    # --- train ---------------------------------------------------------------------------

    def batches_per_epoch(self):
        """Batches in one full epoch, where known before training."""
        if self.dataset is not None:
            cardinality = int(self.dataset.cardinality())
            return cardinality if cardinality > 0 else None
        if self.train_rows is None:
            return None
        size = self.batch_size() or 32
        return max(1, math.ceil(self.train_rows / size))

    def train(self):
        engine, args = self.engine, dict(self.given)
        self.epochs_planned = self.planned_epochs()
        args["epochs"] = int(args.get("initial_epoch") or 0) + self.epochs_planned
        own_epochs = int(self.arguments.get("epochs") or 1) - int(self.arguments.get("initial_epoch") or 0)
        if own_epochs > self.epochs_planned:
            self.notes.append(f"The program asked for {own_epochs} epochs; the epoch limit allowed {self.epochs_planned}.")
        cap = self.engine.caps.get("maxStepsPerEpoch")
        if cap:
            full = args.get("steps_per_epoch") or self.batches_per_epoch()
            if full is None:
                self.notes.append(f"The number of batches per epoch is not known before training (a generator or a dataset of unknown length), so the step limit of {cap} could not be applied.")
            elif full > cap:
                args["steps_per_epoch"] = int(cap)
                self.shortened_to = int(cap)
                self.notes.append(f"Each epoch ran {cap} of its {full} batches; Keras resumes the next epoch where the previous one stopped, so successive epochs see successive parts of the data.")
        callbacks = args.get("callbacks")
        callbacks = list(callbacks) if callbacks is not None else []
        self.tracker = make_tracker(self.framework.keras.callbacks.Callback, self)
        args["callbacks"] = callbacks + [self.tracker]
        self.parameters = sum(int(self.np.prod(w.shape)) for w in self.model.weights) if self.is_built() else None
        engine.in_fit = True
        self.training = True
        try:
            self.original_fit(self.model, **args)
        except _Stop as stop:
            if stop.reason != "wall-time":
                raise
            engine.stop_handled()
            self.stopped = "wall-time"
            self.notes.append(f"fit was interrupted at the wall-time cap: its batch did not end within {FIT_GRACE_SECONDS:g} s of it.")
        finally:
            engine.in_fit = False
            self.training = False
            self.train_ended = time.perf_counter()

    def request_wall_stop(self):
        self.wall_stop_requested = True
        self.stopped = self.stopped or "wall-time"
        self.model.stop_training = True

    def done_event(self):
        trained = (self.train_ended or time.perf_counter()) - (self.train_started or self.train_ended or time.perf_counter())
        epochs_run = len(self.epochs)
        return {
            "type": "done",
            "history": {"loss": [loss for loss, _ in self.epochs], "val_loss": [val for _, val in self.epochs if val is not None]},
            "epochsRun": epochs_run, "epochsPlanned": self.epochs_planned, "shortenedTo": self.shortened_to,
            "stopped": self.stopped, "bounds": self.bounds(), "layers": self.layers, "notes": self.notes,
            "timings": {"programMs": self.engine.program_ms(), "trainMs": round(trained * 1000),
                        "perEpochMs": round(trained * 1000 / epochs_run, 3) if epochs_run else 0},
        }

    # --- the callback's work -------------------------------------------------------------

    def on_train_begin(self):
        self.train_started = time.perf_counter()
        self.last_progress = 0.0
        self.last_layer_stats = None
        self.recent = collections.deque(maxlen=RECENT_BATCH_LOSSES)
        self.snapshot = self.take_snapshot()
        if self.snapshot is None:
            self.notes.append(f"The weights were not copied at each batch ({self.parameters} parameters, over {SNAPSHOT_PARAMETER_LIMIT}), so a non-finite batch is not replayed.")
        self.key_noted = False

    def take_snapshot(self):
        if self.parameters is None:
            self.parameters = sum(int(self.np.prod(w.shape)) for w in self.model.weights) if self.model.weights else 0
        if self.parameters > SNAPSHOT_PARAMETER_LIMIT:
            return None
        return self.model.get_weights()

    def on_epoch_begin(self, epoch):
        self.epoch = epoch - int(self.arguments.get("initial_epoch") or 0)
        self.epoch_started = time.perf_counter()
        self.seen_samples = 0
        self.previous_mean = 0.0
        self.previous_batch = -1
        # The step's own loss per batch, weighted as Keras weighs it: the epoch's loss when
        # Keras's logs carry none (see epoch_loss).
        self.step_loss_sum = 0.0
        self.step_samples = 0.0

    def loss_of(self, logs):
        """The loss in the logs: 'loss', else the first key with 'loss' in its name (said once)."""
        if "loss" in logs:
            return logs["loss"]
        for key, value in logs.items():
            if "loss" in key and not key.startswith("val_"):
                if not self.key_noted:
                    self.loss_key = key
                    self.key_noted = True
                    self.notes.append(f"The program's train_step reports no 'loss'; its '{key}' is taken as the loss.")
                return value
        return None

    def batch_samples(self, batch):
        """The weight of the batches since the last report in Keras's running mean: their samples
        (Keras's loss tracker weighs a batch by its size; the last of an epoch may be short), or
        one a batch for a train_step of the program's own (a Mean metric updated once a batch)."""
        size = self.batch_size()
        steps = batch - self.previous_batch
        if size is None or self.dataset is not None or self.own_train_step():
            return float(steps)
        full = self.batches_per_epoch()
        if self.shortened_to is None and full is not None and batch == full - 1 and self.train_rows is not None:
            return float(size * (steps - 1) + (self.train_rows - size * (full - 1)))
        return float(size * steps)

    def own_train_step(self):
        return type(self.model).train_step is not getattr(self.keras.Model, "train_step", None)

    def is_running_mean(self, value):
        """Keras's own train_step reports the epoch's running mean; a custom one may report each
        batch's own, or the result of a Mean metric of its own (then this is a running mean too)."""
        if not self.own_train_step():
            return True
        for metric in getattr(self.model, "metrics", []):
            try:
                if float(self.np.asarray(metric.result())) == value:
                    return True
            except Exception:
                continue
        return False

    def on_batch_end(self, batch, logs):
        np = self.np
        raw = self.loss_of(logs or {})
        if raw is None:
            return
        mean = float(np.asarray(raw))
        samples = self.batch_samples(batch)
        if self.is_running_mean(mean):
            # mean_b * seen_b = mean_(b-1) * seen_(b-1) + own_b * samples_b
            own = (mean * (self.seen_samples + samples) - self.previous_mean * self.seen_samples) / samples
        else:
            own = mean
        self.seen_samples += samples
        self.previous_mean, self.previous_batch = mean, batch
        self.step_loss_sum += own * samples
        self.step_samples += samples
        self.recent.append({"epoch": self.epoch, "batch": batch, "loss": own})
        steps = self.tracker.params.get("steps") if getattr(self.tracker, "params", None) else None
        now = time.perf_counter()
        finite = math.isfinite(own) and math.isfinite(mean)
        if not finite or now - self.last_progress >= PROGRESS_SECONDS:
            self.engine.send({"type": "batch", "epoch": self.epoch, "batch": batch, "batches": steps, "loss": own})
            self.last_progress = now
        if not finite and self.non_finite is None:
            self.model.stop_training = True
            self.stopped = "non-finite"
            self.non_finite = Replay(self, batch, own).locate()
            self.engine.send({"type": "nonFinite", "point": self.non_finite})
            return
        if self.snapshot is not None:
            self.snapshot = self.take_snapshot()
        if now - _BOOT > self.engine.caps["maxSeconds"] and not self.wall_stop_requested:
            self.request_wall_stop()

    def on_epoch_end(self, epoch, logs):
        np = self.np
        logs = logs or {}
        raw = logs.get(self.loss_key, self.loss_of(logs))
        loss = self.epoch_loss(float(np.asarray(raw)) if raw is not None else None)
        val = logs.get("val_" + self.loss_key)
        val_loss = float(np.asarray(val)) if val is not None else None
        self.epochs.append((loss, val_loss))
        last_planned = self.epoch >= self.epochs_planned - 1
        if self.model.stop_training and self.stopped is None and not last_planned:
            self.stopped = "early-stopping"
        now = time.perf_counter()
        layers = None
        due = self.last_layer_stats is None or now - self.last_layer_stats >= LAYER_STATS_SECONDS
        if due or last_planned or self.non_finite is not None or self.model.stop_training:
            layers = self.layer_stats(self.replay_gradients)
            self.last_layer_stats = time.perf_counter()
            self.last_epoch_layers = layers
        self.engine.send({"type": "epoch", "epoch": self.epoch, "loss": loss, "valLoss": val_loss,
                          "elapsedMs": round((now - self.train_started) * 1000), "layers": layers})

    def epoch_loss(self, logged):
        """The epoch's loss: Keras's, unless its logs carry none or only an untouched tracker.

        A train_step of the program's own that returns {"loss": loss} without updating Keras's
        loss tracker gets, at each epoch's end, the tracker's value instead of its own: 0 every
        epoch while each batch reported its real loss. Then the mean of the step's own values
        (the dict it returned, batch by batch) stands for the epoch, as Keras's mean would."""
        stepped = self.step_loss_sum / self.step_samples if self.step_samples else None
        # A tracker the step updated is 0 only if its batches were.
        untouched = logged == 0.0 and self.own_train_step() and stepped not in (None, 0.0)
        if stepped is not None and (logged is None or untouched):
            if not self.step_note_given:
                self.step_note_given = True
                why = "carry no loss" if logged is None else "report 0 (its loss tracker is never updated)"
                self.notes.append(f"Keras's epoch logs {why}; each epoch's loss is the mean of the losses the program's train_step returned for its batches.")
            return stepped
        return logged if logged is not None else float("nan")

    # --- layers --------------------------------------------------------------------------

    def probe_rows(self):
        if self.x is None or self.x.ndim == 0:
            return None
        return self.x[: min(self.batch_size() or 32, self.train_rows or self.x.shape[0])]

    def layer_stats(self, gradient_norms):
        """LayerStats of the leaf layers: weight norms, and output ranges on the first batch (inference mode)."""
        return layer_stats(self.engine, self.framework, self.model, self.probe_rows(), gradient_norms)


def layer_stats(engine, framework, model, probe, gradient_norms, recorded=None):
    """LayerStats for every leaf layer. Output ranges come from `recorded` calls, else from running
    `probe` through the model in inference mode (null where the model cannot be called on it)."""
    np, tf, keras = engine.np, engine.tf, framework.keras
    ranges = {}
    calls = recorded
    if calls is None and probe is not None:
        try:
            with engine.nanguard_owned(), listening(engine) as recorder:
                model(to_model_input(tf, keras, np, probe), training=False)
            calls = recorder.calls
        except Exception:
            calls = None
    for layer, _, outputs in calls or []:
        for array in concrete_arrays(np, outputs):
            if array.dtype.kind != "f" or array.size == 0:
                continue
            not_nan = array[~np.isnan(array)]
            low, high = (float(not_nan.min()), float(not_nan.max())) if not_nan.size else (float("nan"), float("nan"))
            known = ranges.get(id(layer))
            ranges[id(layer)] = (low, high) if known is None else (min(known[0], low), max(known[1], high))
    stats = []
    try:
        leaves = leaf_layers(model, framework)
    except Exception:
        return stats
    for layer in leaves:
        try:
            weights = weight_arrays(np, layer.trainable_weights)
        except Exception:
            weights = []
        low_high = ranges.get(id(layer))
        stats.append({
            "layer": layer.name, "className": type(layer).__name__,
            "gradientNorm": (gradient_norms or {}).get(layer.name),
            "weightNorm": l2_norm(np, weights),
            "activationMin": low_high[0] if low_high else None,
            "activationMax": low_high[1] if low_high else None,
        })
    return stats


@contextlib.contextmanager
def listening(engine):
    """Records the layer calls nanguard makes itself (a probe, a replay)."""
    recorder, saved = Recorder(), engine.recorder
    engine.recorder = recorder
    try:
        yield recorder
    finally:
        engine.recorder = saved


def concrete_arrays(np, outputs):
    """The numpy values of a call's outputs (nested), skipping symbolic tensors."""
    arrays = []
    stack = [outputs]
    while stack:
        item = stack.pop()
        if isinstance(item, (list, tuple)):
            stack.extend(reversed(item))
        elif isinstance(item, dict):
            stack.extend(reversed(list(item.values())))
        elif hasattr(item, "numpy"):
            try:
                arrays.append(np.asarray(item.numpy()))
            except Exception:
                continue
        elif isinstance(item, np.ndarray):
            arrays.append(item)
    return arrays


def split_element(element):
    """(x, y) of one dataset element: (x,), (x, y), (x, y, sample_weight), or x alone."""
    if isinstance(element, tuple) or isinstance(element, list):
        return element[0], element[1] if len(element) > 1 else None
    return element, None


def first_leaf(value):
    while isinstance(value, (list, tuple, dict)):
        if not value:
            return None
        value = next(iter(value.values())) if isinstance(value, dict) else value[0]
    return value


def _has_shuffle(dataset):
    """Whether a shuffle is among a dataset's stages (walks its inputs)."""
    seen, stack = set(), [dataset]
    while stack:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        if "Shuffle" in type(current).__name__:
            return True
        try:
            stack.extend(current._inputs())
        except Exception:
            continue
    return False


def make_tracker(callback_class, session):
    """nanguard's callback, appended to the program's own: it reports and stops at the first non-finite batch."""

    class NanguardTracker(callback_class):
        def on_train_begin(self, logs=None):
            with session.engine.protected():
                session.on_train_begin()

        def on_epoch_begin(self, epoch, logs=None):
            session.on_epoch_begin(epoch)

        def on_train_batch_end(self, batch, logs=None):
            with session.engine.protected():
                session.on_batch_end(batch, logs)

        def on_epoch_end(self, epoch, logs=None):
            with session.engine.protected():
                session.on_epoch_end(epoch, logs)

    return NanguardTracker()


class Replay:
    """Finds the layer and tensor of the first non-finite batch by running that step again.

    From the weights before the step (copied at every batch end), one training step of the
    model's own `train_step` runs eagerly on the batch's rows (or, when they are not known, on
    the training data), its layer outputs, loss and gradients recorded and the update skipped.
    In order: non-finite inputs or targets; the first layer whose output is non-finite; the loss;
    the first layer from the output back with a non-finite gradient; the first layer whose weights
    are non-finite after the real step.
    """

    def __init__(self, session, batch, loss):
        self.session = session
        self.engine = session.engine
        self.np, self.tf = session.np, session.tf
        self.batch = batch
        self.loss = loss

    def rows(self):
        """(x rows, y rows, words for them): the batch's own rows when they are known."""
        session = self.session
        x, y = session.x, session.y
        if x is None:
            return None, None, "no rows (the training data could not be read)"
        train_rows = session.train_rows or x.shape[0]
        size = session.batch_size()
        shuffled = session.arguments.get("shuffle") and session.dataset is None
        if size and not shuffled and session.dataset is None and session.shortened_to is None:
            start = self.batch * size
            end = min(train_rows, start + size)
            if start < end:
                return x[start:end], y[start:end] if y is not None else None, f"the {end - start} rows of batch {self.batch} (rows {start}-{end - 1})"
        count = min(train_rows, REPLAY_ROWS)
        why = "the data was shuffled, so the batch's own rows are not known" if shuffled else "the batch's own rows are not known"
        source = "rows of the batches read from the dataset" if session.dataset is not None else "training rows"
        which = f"all {count}" if count == train_rows else f"the first {count} of the {train_rows}"
        return x[:count], y[:count] if y is not None else None, f"{which} {source} ({why})"

    def locate(self):
        session, np = self.session, self.np
        model = session.model
        point = {"epoch": session.epoch, "batch": self.batch, "layer": None, "tensor": "loss",
                 "inputsNonFinite": False, "detail": "", "recentLosses": list(session.recent)}
        x_rows, y_rows, words = self.rows()
        shuffled = session.arguments.get("shuffle") and session.dataset is None
        if shuffled:
            # The batch's rows are not known: the statistics of the whole training data say.
            nan, inf = session.non_finite_inputs
            bad_inputs, kinds = nan + inf, " and ".join(word for word, n in (("NaN", nan), ("Infinity", inf)) if n)
        else:
            checked = [a for a in (x_rows, y_rows) if a is not None]
            bad_inputs, _ = describe_values(np, checked)
            kinds = kinds_of(np, checked) if bad_inputs else ""
        if bad_inputs:
            values = f"{bad_inputs} {kinds} value{'s' if bad_inputs != 1 else ''}"
            if shuffled:
                them = "it" if bad_inputs == 1 else "them"
                detail = (f"The training data holds {values} in its inputs or targets; it is shuffled, so which batch takes {them} is not "
                          f"known, but a batch that does has a non-finite loss before any layer is at fault.")
            else:
                detail = f"The batch's inputs or targets already held {values} ({words}): its loss is non-finite before any layer is at fault."
            point.update(tensor="input", inputsNonFinite=True, layer=self.input_layer_name(), detail=detail)
            return point
        after = model.get_weights()
        if session.snapshot is None:
            return self.from_weights(point, after, f"the weights were not copied at each batch ({session.parameters} parameters, over {SNAPSHOT_PARAMETER_LIMIT})", "the step could not be replayed")
        if x_rows is None:
            return self.from_weights(point, after, "the training data could not be read", "the step could not be replayed")
        capture = ReplayCapture()
        error = None
        model.set_weights(session.snapshot)
        try:
            keras, tf = session.keras, self.tf
            data = keras.utils.pack_x_y_sample_weight(
                to_model_input(tf, keras, np, x_rows), None if session.y is session.x and not self.targets_needed() else to_model_input(tf, keras, np, y_rows))
            self.engine.replay = capture
            with self.engine.nanguard_owned(), listening(self.engine) as recorder:
                model.train_step(data)
        except Exception as failure:
            error = failure
            recorder = None
        finally:
            self.engine.replay = None
            model.set_weights(after)
        if error is not None:
            return self.from_weights(point, after, f"replaying the step failed ({type(error).__name__}: {error})", "the step could not be placed at a layer")
        return self.judge(point, capture, recorder.calls, after, words)

    def targets_needed(self):
        """A compiled loss needs y even when it is x; a custom train_step given x alone expects x alone."""
        return self.session.arguments.get("y") is not None or getattr(self.session.model, "loss", None) is not None

    def input_layer_name(self):
        """The model's input layer (a built Sequential's too); else its first layer."""
        model = self.session.model
        inputs = getattr(model, "inputs", None) if not self.session.framework.is_subclassed(model) else None
        history = getattr(inputs[0], "_keras_history", None) if inputs else None
        if history is not None:
            return history[0].name
        layers = leaf_layers(model, self.session.framework)
        return layers[0].name if layers else None

    def judge(self, point, capture, calls, after, words):
        np, session = self.np, self.session
        leaves = {id(layer) for layer in leaf_layers(session.model, session.framework)}
        peak_layer, peak = None, 0.0
        last_leaf = None
        for layer, inputs, outputs in calls:
            if id(layer) not in leaves:
                continue
            last_leaf = layer
            arrays = concrete_arrays(np, outputs)
            bad, largest = describe_values(np, arrays)
            if bad:
                _, input_peak = describe_values(np, concrete_arrays(np, inputs))
                total = sum(a.size for a in arrays)
                point.update(tensor="activation", layer=layer.name,
                             detail=f"{layer.name}'s output held {bad} {kinds_of(np, arrays)} values of {total} on {words}, from inputs no larger than {fmt(input_peak)} in magnitude; every layer before it stayed finite (largest output {fmt(peak)}).")
                self.gradient_norms(capture)
                return point
            if largest >= peak:
                peak_layer, peak = layer, largest
        output = output_layer(session.framework, session.model) if not session.framework.is_subclassed(session.model) else last_leaf
        output_name = output.name if output is not None else None
        loss_value = None
        if capture.loss is not None:
            loss_value = float(np.asarray(scalar_loss(self.tf, capture.loss)))
        if loss_value is not None and not math.isfinite(loss_value):
            where = f" (largest, {fmt(peak)}, from {peak_layer.name})" if peak_layer is not None else ""
            point.update(tensor="loss", layer=output_name,
                         detail=f"The loss was {wire(loss_value)} on {words} while every layer's output stayed finite{where}: the overflow happened in the loss computation itself.")
            self.gradient_norms(capture)
            return point
        self.gradient_norms(capture)
        names = self.variable_layers()
        for gradient, variable in reversed(list(zip(capture.gradients or [], capture.variables or []))):
            if gradient is None:
                continue
            values = np.asarray(gradient.numpy() if hasattr(gradient, "numpy") else gradient)
            bad, _ = describe_values(np, [values])
            if bad:
                layer = names.get(id(variable), variable_layer_name(variable))
                point.update(tensor="gradient", layer=layer,
                             detail=f"The loss was finite ({fmt(loss_value)}) on {words}, but the gradient of {layer}'s {variable_short_name(variable)} held {bad} {kinds_of(np, [values])} values of {values.size}: backpropagation overflowed.")
                return point
        return self.from_weights(point, after, f"the forward pass, the loss ({fmt(loss_value)}) and the gradients were finite on {words}",
                                 "the replay did not reproduce it (layers drawing random numbers, such as Dropout or GaussianNoise, or other rows under shuffling, give other values)")

    def gradient_norms(self, capture):
        """L2 norm of each layer's gradients in the replayed step, kept for the epoch's LayerStats."""
        np = self.np
        names = self.variable_layers()
        squares = {}
        for gradient, variable in zip(capture.gradients or [], capture.variables or []):
            if gradient is None:
                continue
            values = np.asarray(gradient.numpy() if hasattr(gradient, "numpy") else gradient, dtype="float64")
            name = names.get(id(variable), variable_layer_name(variable))
            squares[name] = squares.get(name, 0.0) + float(np.square(values).sum())
        norms = {name: math.sqrt(total) if math.isfinite(total) else total for name, total in squares.items()}
        self.session.replay_gradients = norms
        return norms

    def variable_layers(self):
        names = {}
        for layer in leaf_layers(self.session.model, self.session.framework):
            for weight in layer.weights:
                names[id(weight)] = layer.name
        return names

    def from_weights(self, point, after, why, otherwise):
        """The first layer whose weights the real step made non-finite; else the loss, unexplained."""
        np, session = self.np, self.session
        owners = self.variable_layers()
        for weight, values in zip(session.model.weights, after):
            bad, _ = describe_values(np, [values])
            if bad:
                layer = owners.get(id(weight), variable_layer_name(weight))
                point.update(tensor="weight", layer=layer,
                             detail=f"The batch's loss was {wire(self.loss)}; {why}, but after the step {layer}'s {variable_short_name(weight)} held {bad} {kinds_of(np, [values])} values of {values.size}: the update itself overflowed.")
                return point
        output = output_layer(session.framework, session.model)
        point.update(tensor="loss", layer=output.name if output is not None else None,
                     detail=f"The batch's loss was {wire(self.loss)}, but {why}, and the weights after the step are finite: {otherwise}.")
        return point


def variable_layer_name(variable):
    """A Keras 3 variable path ('sequential/dense_1/kernel') -> its layer ('dense_1')."""
    path = getattr(variable, "path", None) or getattr(variable, "name", "")
    parts = str(path).split(":")[0].split("/")
    return parts[-2] if len(parts) >= 2 else parts[0]


def variable_short_name(variable):
    path = getattr(variable, "path", None) or getattr(variable, "name", "weights")
    return str(path).split(":")[0].split("/")[-1]


# --- custom training loops -----------------------------------------------------------------

def find_model(framework, variables):
    """The Keras model the optimizer trains: the one owning most of the stepped variables (the
    whole VAE rather than its encoder); None when the variables belong to no model."""
    wanted = {id(v) for v in variables}
    best, best_key = None, None
    for candidate in gc.get_objects():
        try:
            if not isinstance(candidate, framework.keras.Model):
                continue
            owned = {id(v) for v in candidate.trainable_variables}
        except Exception:
            continue
        overlap = len(owned & wanted)
        key = (overlap, -len(owned))
        if overlap and (best_key is None or key > best_key):
            best, best_key = candidate, key
    return best


class CustomLoop:
    """A training loop of the program's own: optimizer steps outside fit, reported as batches and epochs."""

    def __init__(self, engine, framework, optimizer, variables, at, caller):
        self.engine = engine
        self.np, self.tf = engine.np, engine.tf
        self.framework = framework
        self.optimizer = optimizer
        self.model = find_model(framework, variables)
        if self.model is not None:
            engine.model_variable = engine.variable_of(caller, self.model)
        self.variables = list(variables)
        self.notes = []
        datasets = engine.datasets_before_first_step
        self.by_dataset = bool(datasets)
        if not self.by_dataset:
            self.notes.append(f"The custom loop iterated no tf.data dataset, so its steps are reported in epochs of {STEPS_PER_LOOP_EPOCH}.")
        self.epoch = 0
        self.step_in_epoch = 0
        self.epoch_losses = []
        self.history = []
        self.new_epoch_pending = False
        self.recent = collections.deque(maxlen=RECENT_BATCH_LOSSES)
        self.started = time.perf_counter()
        self.last_progress = 0.0
        self.last_calls = []
        self.last_gradients = None
        self.layers = []
        self.loss_unknown = False
        engine.send(self.observed(at))
        if engine.mode == "observe":
            engine.finish(engine.empty_done(self.notes + ["Observe mode: the program was stopped at its first optimizer step, before it was applied."], epochs_planned=int(engine.caps["maxEpochs"])))
            self.raise_end()

    def observed(self, at):
        keras, np = self.framework.keras, self.np
        if self.model is not None:
            model = describe_model(self.engine, self.framework, self.model, self.notes)
        else:
            parameters = sum(int(np.prod(v.shape)) for v in self.variables)
            model = {"name": "variables", "variable": None, "className": "none", "parameters": parameters, "subclassed": True, "json": None, "outputActivation": None}
            self.notes.append("The optimizer steps variables that belong to no Keras model.")
        return {"type": "observed", "at": at, "kind": "custom-loop", "model": model,
                "optimizer": describe_optimizer(keras, np, self.optimizer), "loss": None,
                "fit": {"epochs": None, "batchSize": None, "shuffle": None, "validationSplit": None, "stepsPerEpoch": None},
                "x": None, "y": None, "validation": None, "yIsX": False}

    def raise_end(self):
        if threading.current_thread() is threading.main_thread():
            raise _EndProgram()

    def on_dataset_iterated(self):
        if self.step_in_epoch > 0:
            self.new_epoch_pending = True

    def begin_step(self):
        """Closes the epoch when this step begins a new one; ends the run past the epoch limit."""
        boundary = self.new_epoch_pending if self.by_dataset else self.step_in_epoch >= STEPS_PER_LOOP_EPOCH
        if boundary and self.step_in_epoch > 0:
            self.close_epoch()
            if self.epoch >= int(self.engine.caps["maxEpochs"]):
                self.engine.finish(self.done_event(None, [f"The loop was stopped after {self.epoch} epochs (the epoch limit)."]))
                return False
        if time.perf_counter() - _BOOT > self.engine.caps["maxSeconds"]:
            self.engine.finish(self.done_event("wall-time"))
            return False
        return True

    def close_epoch(self):
        np = self.np
        known = [loss for loss in self.epoch_losses if loss is not None]
        if known:
            loss = float(np.mean(known))
            self.history.append(loss)
            self.layers = self.layer_stats()
            self.engine.send({"type": "epoch", "epoch": self.epoch, "loss": loss, "valLoss": None,
                              "elapsedMs": round((time.perf_counter() - self.started) * 1000), "layers": self.layers})
        self.epoch += 1
        self.step_in_epoch = 0
        self.epoch_losses = []
        self.new_epoch_pending = False

    def layer_stats(self):
        if self.model is None:
            return []
        norms = None
        if self.last_gradients is not None:
            norms = {}
            names = {id(w): layer.name for layer in leaf_layers(self.model, self.framework) for w in layer.weights}
            for gradient, variable in self.last_gradients:
                if gradient is None:
                    continue
                values = self.np.asarray(gradient.numpy(), dtype="float64")
                name = names.get(id(variable), variable_layer_name(variable))
                norms[name] = math.sqrt(norms.get(name, 0.0) ** 2 + float(self.np.square(values).sum()))
        return layer_stats(self.engine, self.framework, self.model, None, norms, recorded=self.last_calls)

    def record(self, loss):
        self.epoch_losses.append(loss)
        if loss is None:
            if not self.loss_unknown:
                self.loss_unknown = True
                self.notes.append("Some steps had no GradientTape target to read the loss from.")
            return
        self.recent.append({"epoch": self.epoch, "batch": self.step_in_epoch, "loss": loss})
        now = time.perf_counter()
        if not math.isfinite(loss) or now - self.last_progress >= PROGRESS_SECONDS:
            self.engine.send({"type": "batch", "epoch": self.epoch, "batch": self.step_in_epoch, "batches": None, "loss": loss})
            self.last_progress = now

    def eager_step(self, gradients, variables, target, calls):
        if not self.begin_step():
            self.raise_end()
        np = self.np
        loss = float(np.asarray(scalar_loss(self.tf, target))) if target is not None else None
        self.last_calls = calls
        self.last_gradients = list(zip(gradients, variables))
        self.record(loss)
        present = [(g, v) for g, v in zip(gradients, variables) if g is not None]
        tf = self.tf
        # One check on the device for the common case; each gradient read only when one is not finite.
        all_finite = not present or bool(tf.reduce_all(tf.stack([tf.reduce_all(tf.math.is_finite(tf.convert_to_tensor(g))) for g, _ in present])))
        bad_gradients = [] if all_finite else [v for g, v in present if not bool(np.isfinite(np.asarray(g)).all())]
        if (loss is not None and not math.isfinite(loss)) or bad_gradients:
            self.non_finite(loss, bad_gradients, calls)
        self.step_in_epoch += 1

    def graph_step(self, loss, bad_variables):
        if not self.begin_step():
            return
        self.record(loss)
        if (loss is not None and not math.isfinite(loss)) or bad_variables:
            if not any("tf.function" in note for note in self.notes):
                self.notes.append("The loop's steps ran inside a tf.function, where layer outputs cannot be read: a non-finite value is placed at the loss or a gradient.")
            self.non_finite(loss, bad_variables, [])
        self.step_in_epoch += 1

    def non_finite(self, loss, bad_variables, calls):
        """The step's first non-finite layer output; else its loss; else the first layer, from the output back, with a non-finite gradient."""
        np = self.np
        point = {"epoch": self.epoch, "batch": self.step_in_epoch, "layer": None, "tensor": "loss",
                 "inputsNonFinite": False, "detail": "", "recentLosses": list(self.recent)}
        leaves = leaf_layers(self.model, self.framework) if self.model is not None else []
        leaf_ids = {id(layer) for layer in leaves}
        last_leaf = None
        for layer, inputs, outputs in calls:
            if leaf_ids and id(layer) not in leaf_ids:
                continue
            first = last_leaf is None
            last_leaf = layer
            arrays = concrete_arrays(np, outputs)
            bad, _ = describe_values(np, arrays)
            if bad:
                in_bad, in_peak = describe_values(np, concrete_arrays(np, inputs))
                if in_bad and first:
                    point.update(tensor="input", layer=layer.name, inputsNonFinite=True,
                                 detail=f"The step's inputs already held {in_bad} non-finite values when they reached {layer.name}.")
                else:
                    point.update(tensor="activation", layer=layer.name,
                                 detail=f"In step {self.step_in_epoch} of epoch {self.epoch}, {layer.name}'s output held {bad} {kinds_of(np, arrays)} values of {sum(a.size for a in arrays)}, from inputs no larger than {fmt(in_peak)} in magnitude.")
                return self.end_non_finite(point)
        output = last_leaf or (leaves[-1] if leaves else None)
        if loss is not None and not math.isfinite(loss):
            earlier = [b["loss"] for b in self.recent][:-1]
            before = f" (the step before: {fmt(earlier[-1])})" if earlier else ""
            why = " while every layer's output stayed finite: the overflow happened in the loss computation itself." if calls else "."
            point.update(tensor="loss", layer=output.name if output is not None else None,
                         detail=f"In step {self.step_in_epoch} of epoch {self.epoch} the loss was {wire(loss)}{before}{why}")
            return self.end_non_finite(point)
        names = {id(w): layer.name for layer in leaves for w in layer.weights}
        order = {id(v): i for i, v in enumerate(self.variables)}
        variable = max(bad_variables, key=lambda v: order.get(id(v), -1))  # the nearest the output
        layer = names.get(id(variable), variable_layer_name(variable))
        point.update(tensor="gradient", layer=layer,
                     detail=f"In step {self.step_in_epoch} of epoch {self.epoch} the loss was finite ({fmt(loss)}) but the gradient of {layer}'s {variable_short_name(variable)} was not: backpropagation overflowed.")
        return self.end_non_finite(point)

    def end_non_finite(self, point):
        self.engine.send({"type": "nonFinite", "point": point})
        self.step_in_epoch += 1
        self.close_epoch()
        self.engine.finish(self.done_event("non-finite"))
        self.raise_end()

    def done_event(self, stopped, notes=()):
        if self.step_in_epoch > 0:
            self.close_epoch()
        trained = time.perf_counter() - self.started
        return {
            "type": "done", "history": {"loss": list(self.history), "val_loss": []},
            "epochsRun": len(self.history), "epochsPlanned": int(self.engine.caps["maxEpochs"]), "shortenedTo": None,
            "stopped": stopped,
            "bounds": {"meanPredictor": None, "outputFloor": None, "outputRange": None, "lossFloor": None},
            "layers": self.layers, "notes": self.notes + list(notes),
            "timings": {"programMs": self.engine.program_ms(), "trainMs": round(trained * 1000),
                        "perEpochMs": round(trained * 1000 / len(self.history), 3) if self.history else 0},
        }


# --- start -----------------------------------------------------------------------------------

def import_keras(channel):
    """numpy, Keras and TensorFlow, or a `missing` event naming what failed and how to install it."""
    modules = {}
    for name in ("numpy", "keras", "tensorflow"):
        try:
            modules[name] = __import__(name)
        except Exception as error:  # ImportError, or a broken installation raising something else
            missing = getattr(error, "name", None) or name
            channel.send({
                "type": "missing", "module": missing, "python": platform.python_version(), "executable": sys.executable,
                "message": f"{sys.executable} cannot import {missing} ({type(error).__name__}: {error}); install it with: {sys.executable} -m pip install tensorflow",
            })
            return None
    return modules


def read_request(argv):
    if len(argv) < 2:
        raise ValueError("usage: nanguard_keras.py '<KerasRunRequest JSON>'")
    request = json.loads(argv[1])
    for key in ("file", "mode", "caps"):
        if key not in request:
            raise ValueError(f"the request has no '{key}'")
    if request["mode"] not in ("observe", "train"):
        raise ValueError(f"mode must be 'observe' or 'train', not {request['mode']!r}")
    return request


def watch_parent():
    """Ends the run when the host that started it is gone (an editor window closed, a killed
    command): the program runs in a process group of its own, which nothing else would end
    before the time cap."""
    parent = os.getppid()

    def watch():
        while True:
            time.sleep(1.0)
            if os.getppid() != parent:
                os._exit(0)

    if hasattr(os, "getppid") and os.name == "posix":
        threading.Thread(target=watch, name="nanguard-parent-watch", daemon=True).start()


def main(argv):
    watch_parent()
    try:
        request = read_request(argv)
    except (ValueError, json.JSONDecodeError) as error:
        sys.stderr.write(f"nanguard_keras.py: {error}\n")
        return 2
    channel = EventChannel()
    modules = import_keras(channel)
    if modules is None:
        return 0
    import nanguard_bounds

    np, keras, tf = modules["numpy"], modules["keras"], modules["tensorflow"]
    engine = Engine(request, channel, np, tf, keras, nanguard_bounds)
    engine.install()
    channel.send({"type": "started", "version": EVENTS_VERSION, "python": platform.python_version(), "keras": keras.__version__,
                  "tensorflow": tf.__version__, "backend": keras.backend.backend(), "loadMs": round((time.perf_counter() - _BOOT) * 1000)})
    engine.run_program()
    # The final event is out: end now. TensorFlow's shutdown takes seconds (4 s after observing
    # full-size MNIST here), and the host ends the process at the final event anyway.
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    os._exit(0)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
