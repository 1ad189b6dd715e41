"""NAN105 div-by-zero-normalization: (X - mean) / std with a constant column, with and without an epsilon; (X - min) / (max - min) likewise. Every case over 8 seeds."""
from _common import dense_autoencoder, keras, main, np, over_seeds, report, train

ARCH = ([8, 2, 8, 4], ["relu", "relu", "relu", "linear"])


def data(seed):
    x = np.random.default_rng(seed).normal(50, 10, (512, 4))
    x[:, 2] = 7.0  # a sensor that never changed
    return x


def fit(seed, normalise):
    x = normalise(data(seed)).astype("float32")
    return train(dense_autoencoder(4, *ARCH, keras.optimizers.Adam()), x, x, epochs=3, batch_size=32)


def run():
    seeds = range(8)
    with np.errstate(all="ignore"):
        return report("NAN105", {
            "example_std_no_eps": over_seeds(lambda s: fit(s, lambda x: (x - x.mean(axis=0)) / x.std(axis=0)), seeds),
            "fixed_std_eps": over_seeds(lambda s: fit(s, lambda x: (x - x.mean(axis=0)) / (x.std(axis=0) + 1e-8)), seeds),
            "range_no_eps": over_seeds(lambda s: fit(s, lambda x: (x - x.min(axis=0)) / (x.max(axis=0) - x.min(axis=0))), seeds),
            "range_eps": over_seeds(lambda s: fit(s, lambda x: (x - x.min(axis=0)) / (x.max(axis=0) - x.min(axis=0) + 1e-8)), seeds),
        })


if __name__ == "__main__":
    main(run)
