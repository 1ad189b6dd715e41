"""NAN502 tiny-validation: 3 validation samples with batch size 32 against 200, over 8 seeds: how much val_loss jumps."""
from _common import dense_autoencoder, keras, main, np, over_seeds, report, train

ARCH = ([16, 4, 16, 8], ["relu", "relu", "relu", "linear"])


def fit(seed, n_val):
    rng = np.random.default_rng(seed)
    x = rng.normal(0, 1, (1000, 8)).astype("float32")
    v = rng.normal(0, 1, (n_val, 8)).astype("float32")
    model = dense_autoencoder(8, *ARCH, keras.optimizers.Adam())
    out = train(model, x, x, epochs=10, batch_size=32, validation_data=(v, v))
    out["val_losses"] = [round(float(l), 4) for l in model.history.history["val_loss"]]
    return out


def summarise(case):
    """Per seed, the largest rise of val_loss from one epoch to the next, relative to the final val_loss."""
    case["final_val_losses"] = [r["final_val_loss"] for r in case["runs"]]
    case["largest_epoch_to_epoch_rise_per_seed"] = [
        round(max(b - a for a, b in zip(r["val_losses"], r["val_losses"][1:])), 4) for r in case["runs"]]
    return case


def run():
    return report("NAN502", {
        "val_3_samples": summarise(over_seeds(lambda s: fit(s, 3), range(8))),
        "val_200_samples": summarise(over_seeds(lambda s: fit(s, 200), range(8))),
    })


if __name__ == "__main__":
    main(run)
