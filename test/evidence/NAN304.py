"""NAN304 no-grad-clipping: the NAN101 example (data 0-1000, SGD 0.01, linear output) without and with clipnorm=1.0."""
from _common import dense_autoencoder, keras, main, np, over_seeds, report, train

ARCH = ([16, 4, 16, 8], ["relu", "relu", "relu", "linear"])


def fit(seed, **clip):
    x = np.random.default_rng(seed).uniform(0, 1000, (256, 8)).astype("float32")
    return train(dense_autoencoder(8, *ARCH, keras.optimizers.SGD(learning_rate=0.01, **clip)), x, x, epochs=5, batch_size=32)


def run():
    return report("NAN304", {
        "example_no_clipping": over_seeds(lambda s: fit(s)),
        "fixed_clipnorm_1": over_seeds(lambda s: fit(s, clipnorm=1.0)),
    })


if __name__ == "__main__":
    main(run)
