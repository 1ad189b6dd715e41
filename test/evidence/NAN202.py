"""NAN202 sigmoid-bottleneck: Dense 32-4-32-20 with a sigmoid bottleneck, on raw data (0-100) and on scaled data."""
from _common import keras, main, np, report, seeded, train
from keras import layers


def data(seed, high):
    return np.random.default_rng(seed).uniform(0, high, (1024, 20)).astype("float32")


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
        x = data(0, high)
        for act in ["sigmoid", "relu"]:
            seeded(0)
            cases[f"{name}_{act}_bottleneck"] = fit_and_score(x, act)
    return report("NAN202", cases)


if __name__ == "__main__":
    main(run)
