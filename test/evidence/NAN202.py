"""NAN202 sigmoid-bottleneck: Dense 32-4-32-20 with a sigmoid bottleneck, on raw data (0-100) and on scaled data, with a
relu bottleneck for comparison; every case over 8 seeds (data drawn anew under each), on 512 rows instead of 1024 to keep
the 32 runs short (50 epochs as before)."""
from _common import keras, main, np, over_seeds, report, train
from keras import layers


def data(seed, high):
    return np.random.default_rng(seed).uniform(0, high, (512, 20)).astype("float32")


def fit_and_score(x, bottleneck_activation):
    inputs = keras.Input(shape=(20,))
    h = layers.Dense(32, activation="relu")(inputs)
    code = layers.Dense(4, activation=bottleneck_activation, name="bottleneck")(h)
    h = layers.Dense(32, activation="relu")(code)
    outputs = layers.Dense(20, activation="linear")(h)
    model = keras.Model(inputs, outputs)
    model.compile(optimizer="adam", loss="mse")
    outcome = train(model, x, x, epochs=50, batch_size=32)
    codes = keras.Model(inputs, code).predict(x, verbose=0)
    if bottleneck_activation == "sigmoid":
        outcome["saturated_fraction"] = float(np.mean((codes < 0.01) | (codes > 0.99)))
    outcome["data_variance"] = float(x.var(0).mean())
    return outcome


def run():
    cases = {}
    for name, high in [("raw_0_100", 100.0), ("scaled_0_1", 1.0)]:
        for act in ["sigmoid", "relu"]:
            runs = over_seeds(lambda s: fit_and_score(data(s, high), act), range(8))
            runs["final_loss_over_variance_per_seed"] = [round(r["final_loss"] / r["data_variance"], 3) if isinstance(r["final_loss"], float) else None for r in runs["runs"]]
            if act == "sigmoid":
                runs["saturated_fraction_per_seed"] = [round(r["saturated_fraction"], 3) for r in runs["runs"]]
            cases[f"{name}_{act}_bottleneck"] = runs
    return report("NAN202", cases)


if __name__ == "__main__":
    main(run)
