"""NAN303 small-adam-epsilon: Adam with epsilon 0, 1e-12 and the default 1e-7 on a relu autoencoder with dead units."""
from _common import dense_autoencoder, keras, main, np, over_seeds, report, train

ARCH = ([64, 2, 64, 16], ["relu", "relu", "relu", "linear"])


def fit(seed, epsilon, high=1.0):
    x = np.random.default_rng(seed).uniform(0, high, (512, 16)).astype("float32")
    return train(dense_autoencoder(16, *ARCH, keras.optimizers.Adam(epsilon=epsilon)), x, x, epochs=20, batch_size=32)


def run():
    seeds = range(3)
    return report("NAN303", {
        "example_epsilon_0": over_seeds(lambda s: fit(s, 0.0), seeds),
        "epsilon_1e-12": over_seeds(lambda s: fit(s, 1e-12), seeds),
        "fixed_default_1e-7": over_seeds(lambda s: fit(s, 1e-7), seeds),
        "adam_default_on_data_0_1000": over_seeds(lambda s: fit(s, 1e-7, 1000.0), seeds),
    })


if __name__ == "__main__":
    main(run)
