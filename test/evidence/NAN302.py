"""NAN302 low-learning-rate: Adam at 1e-6 (1/1000 of its default) against the default, 50 epochs."""
from _common import dense_autoencoder, keras, main, np, report, seeded, train

ARCH = ([16, 4, 16, 8], ["relu", "relu", "relu", "linear"])


def run():
    x = np.random.default_rng(0).uniform(0, 1, (256, 8)).astype("float32")
    cases = {}
    for name, lr in [("example_adam_lr1e-6", 1e-6), ("fixed_adam_default", 1e-3)]:
        seeded(0)
        cases[name] = train(dense_autoencoder(8, *ARCH, keras.optimizers.Adam(learning_rate=lr)), x, x, epochs=50, batch_size=32)
    return report("NAN302", cases, data_variance=float(x.var(0).mean()))


if __name__ == "__main__":
    main(run)
