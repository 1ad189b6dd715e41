"""NAN203 tiny-bottleneck: 256 inputs with 8 underlying factors, through a 2-unit vs a 16-unit bottleneck;
and over 8 seeds, a 2-unit code with relu against a linear one (as 2-D latents made to be plotted are)."""
from _common import dense_autoencoder, keras, main, np, over_seeds, report, seeded, train


def data(seed):
    rng = np.random.default_rng(seed)
    z = rng.uniform(0, 1, (2048, 8))
    x = z @ rng.uniform(0, 1, (8, 256))
    return (x / x.max()).astype("float32")


def fit(x, code, code_activation="relu"):
    model = dense_autoencoder(256, [64, code, 64, 256], ["relu", code_activation, "relu", "linear"], keras.optimizers.Adam())
    outcome = train(model, x, x, epochs=40, batch_size=64)
    outcome["r2"] = float(1 - outcome["final_loss"] / x.var(0).mean()) if isinstance(outcome["final_loss"], float) else None
    return outcome


def run():
    x = data(0)
    cases = {}
    for code in [2, 16]:
        seeded(0)
        cases[f"bottleneck_{code}"] = fit(x, code)
    for activation in ["relu", "linear"]:
        runs = over_seeds(lambda s: fit(data(s), 2, activation), range(8))
        runs["r2"] = [r["r2"] for r in runs["runs"]]
        cases[f"bottleneck_2_{activation}_over_seeds"] = runs
    return report("NAN203", cases, data_variance=float(x.var(0).mean()))


if __name__ == "__main__":
    main(run)
