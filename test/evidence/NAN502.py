"""NAN502 tiny-validation: 3 validation samples with batch size 32 against 200, over 3 seeds: how much val_loss jumps."""
from _common import dense_autoencoder, keras, main, np, report, seeded, train

ARCH = ([16, 4, 16, 8], ["relu", "relu", "relu", "linear"])


def fit(seed, n_val):
    seeded(seed)
    rng = np.random.default_rng(seed)
    x = rng.normal(0, 1, (1000, 8)).astype("float32")
    v = rng.normal(0, 1, (n_val, 8)).astype("float32")
    model = dense_autoencoder(8, *ARCH, keras.optimizers.Adam())
    out = train(model, x, x, epochs=10, batch_size=32, validation_data=(v, v))
    return out


def run():
    return report("NAN502", {
        "val_3_samples": [fit(s, 3) for s in range(2)],
        "val_200_samples": [fit(s, 200) for s in range(2)],
    })


if __name__ == "__main__":
    main(run)
