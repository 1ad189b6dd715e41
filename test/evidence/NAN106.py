"""NAN106 log-of-nonpositive: np.log on counts that include zeros, np.log1p instead; np.sqrt of standardised data."""
from _common import dense_autoencoder, keras, main, np, over_seeds, report, train

ARCH = ([8, 2, 8, 4], ["relu", "relu", "relu", "linear"])


def counts(seed):
    return np.random.default_rng(seed).poisson(3.0, (512, 4)).astype("float64")  # about 5% zeros


def fit(seed, transform, source=counts):
    with np.errstate(all="ignore"):
        x = transform(source(seed)).astype("float32")
    return train(dense_autoencoder(4, *ARCH, keras.optimizers.Adam()), x, x, epochs=3, batch_size=32)


def run():
    seeds = range(2)
    standard = lambda s: np.random.default_rng(s).normal(0, 1, (512, 4))
    return report("NAN106", {
        "zeros_in_counts": int((counts(0) == 0).sum()),
        "example_log_of_counts": over_seeds(lambda s: fit(s, np.log), seeds),
        "fixed_log1p": over_seeds(lambda s: fit(s, np.log1p), seeds),
        "sqrt_of_standardised": over_seeds(lambda s: fit(s, np.sqrt, standard), seeds),
    })


if __name__ == "__main__":
    main(run)
