"""NAN304 no-grad-clipping: the NAN101 example (data 0-1000, SGD 0.01, linear output) without and with clipnorm=1.0;
and SGD far above its default rate on standardised data (a linear 8-4-8 and a relu 16-4-16-8 autoencoder, 8 seeds):
where a high rate alone diverges."""
from _common import dense_autoencoder, keras, main, np, over_seeds, report, train

ARCH = ([16, 4, 16, 8], ["relu", "relu", "relu", "linear"])


def fit(seed, **clip):
    x = np.random.default_rng(seed).uniform(0, 1000, (256, 8)).astype("float32")
    return train(dense_autoencoder(8, *ARCH, keras.optimizers.SGD(learning_rate=0.01, **clip)), x, x, epochs=5, batch_size=32)


def standardised(seed, lr, units, activations):
    x = np.random.default_rng(seed).normal(0, 1, (512, 8)).astype("float32")
    return train(dense_autoencoder(8, units, activations, keras.optimizers.SGD(learning_rate=lr)), x, x, epochs=10, batch_size=32)


def run():
    cases = {
        "example_no_clipping": over_seeds(lambda s: fit(s), range(8)),
        "fixed_clipnorm_1": over_seeds(lambda s: fit(s, clipnorm=1.0), range(8)),
    }
    for lr in (1.0, 3.0):
        cases[f"standardised_linear_sgd_{lr}"] = over_seeds(lambda s: standardised(s, lr, [4, 8], ["linear", "linear"]), range(8))
        cases[f"standardised_relu_sgd_{lr}"] = over_seeds(lambda s: standardised(s, lr, *ARCH), range(8))
    return report("NAN304", cases)


if __name__ == "__main__":
    main(run)
