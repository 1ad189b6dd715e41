"""NAN402 bce-target-out-of-range: binary cross-entropy with targets 0-255 or standardised targets, and with a linear output. Every case over 8 seeds."""
from _common import dense_autoencoder, keras, main, np, over_seeds, report, train

DIM = 64


def pixels(seed):
    rng = np.random.default_rng(seed)
    basis = rng.uniform(0, 1, (4, DIM))
    return np.clip(rng.uniform(0, 1, (512, 4)) @ basis / 2.0, 0, 1).astype("float32")


def fit(seed, scale, output, loss="binary_crossentropy", shift=0.0):
    x = pixels(seed) * scale + shift
    model = dense_autoencoder(DIM, [32, 8, 32, DIM], ["relu", "relu", "relu", output], keras.optimizers.Adam(), loss=loss)
    out = train(model, x, x, epochs=5, batch_size=32)
    recon = model.predict(x[:256], verbose=0)
    out["mse_after"] = float(np.mean((recon - x[:256]) ** 2))
    out["target_variance"] = float(np.var(x[:256]))
    return out


def run():
    seeds = range(8)
    return report("NAN402", {
        "targets_0_255_sigmoid_bce": over_seeds(lambda s: fit(s, 255.0, "sigmoid"), seeds),
        "standardised_targets_sigmoid_bce": over_seeds(lambda s: fit(s, 4.0, "sigmoid", shift=-2.0), seeds),
        "targets_0_1_linear_output_bce": over_seeds(lambda s: fit(s, 1.0, "linear"), seeds),
        "targets_0_1_relu_output_bce": over_seeds(lambda s: fit(s, 1.0, "relu"), seeds),
        "fixed_targets_0_1_sigmoid_bce": over_seeds(lambda s: fit(s, 1.0, "sigmoid"), seeds),
    })


if __name__ == "__main__":
    main(run)
