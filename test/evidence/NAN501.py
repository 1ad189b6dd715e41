"""NAN501 empty-validation: validation_split on too few samples, an empty validation_data, and a PyDataset whose
__len__ rounds up into an empty last batch."""
import math

from _common import dense_autoencoder, keras, main, np, report, seeded, train

ARCH = ([8, 2, 8, 4], ["relu", "relu", "relu", "linear"])


def model():
    return dense_autoencoder(4, *ARCH, keras.optimizers.Adam())


def attempt(fn):
    try:
        return fn()
    except Exception as error:  # Keras refusing the setup is an outcome too
        return {"raised": type(error).__name__, "message": str(error)[:300]}


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


def run():
    seeds_out = {}
    seeded(0)
    x5 = np.random.default_rng(0).normal(0, 1, (5, 4)).astype("float32")
    seeds_out["split_0.1_of_5_samples"] = attempt(lambda: train(model(), x5, x5, epochs=2, batch_size=32, validation_split=0.1))
    x = np.random.default_rng(0).normal(0, 1, (256, 4)).astype("float32")
    empty = x[:0]
    seeds_out["empty_validation_data"] = attempt(lambda: train(model(), x, x, epochs=2, batch_size=32, validation_data=(empty, empty)))
    seeds_out["pydataset_len_rounds_up_wrong_256_by_32"] = attempt(lambda: train(model(), Batches(x, 32, True), None, epochs=2, batch_size=None))
    seeds_out["pydataset_len_ceil_256_by_32"] = attempt(lambda: train(model(), Batches(x, 32, False), None, epochs=2, batch_size=None))
    return report("NAN501", seeds_out)


if __name__ == "__main__":
    main(run)
