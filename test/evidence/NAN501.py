"""NAN501 empty-validation: validation_split on too few samples, an empty validation_data, and a PyDataset whose
__len__ rounds up into an empty last batch; each case over 8 seeds (the data drawn anew under each)."""
import math

from _common import dense_autoencoder, keras, main, np, over_seeds, report, train

ARCH = ([8, 2, 8, 4], ["relu", "relu", "relu", "linear"])


def model():
    return dense_autoencoder(4, *ARCH, keras.optimizers.Adam())


def attempt(fn):
    try:
        return fn()
    except Exception as error:  # Keras refusing the setup is an outcome too
        return {"raised": type(error).__name__, "message": str(error)[:300], "first_nan_epoch": None, "final_loss": None}


class Batches(keras.utils.PyDataset):
    def __init__(self, x, batch_size, round_up_wrong):
        super().__init__()
        self.x, self.batch_size, self.round_up_wrong = x, batch_size, round_up_wrong

    def __len__(self):
        if self.round_up_wrong:
            return len(self.x) // self.batch_size + 1
        return math.ceil(len(self.x) / self.batch_size)

    def __getitem__(self, i):
        part = self.x[i * self.batch_size:(i + 1) * self.batch_size]
        return part, part


def rows(seed, n):
    return np.random.default_rng(seed).normal(0, 1, (n, 4)).astype("float32")


def tally(case):
    """How many of the seeds raised, and how many left a val_loss in the history."""
    case["raised_runs"] = sum(1 for r in case["runs"] if "raised" in r)
    case["runs_with_val_loss"] = sum(1 for r in case["runs"] if "final_val_loss" in r)
    case["epochs_run"] = [r.get("epochs_run") for r in case["runs"]]
    return case


def run():
    seeds = range(8)
    empty = rows(0, 256)[:0]
    return report("NAN501", {
        "split_0.1_of_5_samples": tally(over_seeds(lambda s: attempt(
            lambda: train(model(), rows(s, 5), rows(s, 5), epochs=2, batch_size=32, validation_split=0.1)), seeds)),
        "empty_validation_data": tally(over_seeds(lambda s: attempt(
            lambda: train(model(), rows(s, 256), rows(s, 256), epochs=2, batch_size=32, validation_data=(empty, empty))), seeds)),
        "pydataset_len_rounds_up_wrong_256_by_32": tally(over_seeds(lambda s: attempt(
            lambda: train(model(), Batches(rows(s, 256), 32, True), None, epochs=2, batch_size=None)), seeds)),
        "pydataset_len_ceil_256_by_32": tally(over_seeds(lambda s: attempt(
            lambda: train(model(), Batches(rows(s, 256), 32, False), None, epochs=2, batch_size=None)), seeds)),
    })


if __name__ == "__main__":
    main(run)
