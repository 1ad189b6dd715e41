"""NAN201 output-range-mismatch: the seed's Example 1 (sigmoid output, targets 1000-5000), trained as written; and
standardised targets ((x - mean) / std, as the World Models VAE prepares its frames) through a sigmoid output against a
linear one, a 64-32-8-32-64 Dense autoencoder, MSE, 20 epochs, 8 seeds."""
from _common import keras, main, np, over_seeds, report, train
from keras import layers

X_train = np.array([[1, 1000], [2, 2000], [3, 3000]], dtype="float32")
X_val = np.array([[4, 4000], [5, 5000]], dtype="float32")


def floor(y, low=0.0, high=1.0):
    """The smallest MSE an output clamped into (low, high) can reach: mean over features of mean((y - clamp(y))^2)."""
    return float(np.mean(np.mean((y - np.clip(y, low, high)) ** 2, axis=0)))


def model(output_activation):
    inputs = keras.Input(shape=(2,))
    encoded = layers.Dense(1, activation="sigmoid")(inputs)
    decoded = layers.Dense(2, activation=output_activation)(encoded)
    m = keras.Model(inputs, decoded)
    m.compile(optimizer="adam", loss="mse")
    return m


def standardised_fit(seed, output_activation):
    rng = np.random.default_rng(seed)
    z = rng.normal(size=(1024, 8)) @ rng.normal(size=(8, 64))
    x = ((z - z.mean()) / z.std()).astype("float32")
    inputs = keras.Input(shape=(64,))
    h = layers.Dense(32, activation="relu")(inputs)
    h = layers.Dense(8, activation="relu")(h)
    h = layers.Dense(32, activation="relu")(h)
    m = keras.Model(inputs, layers.Dense(64, activation=output_activation)(h))
    m.compile(optimizer="adam", loss="mse")
    out = train(m, x, x, epochs=20, batch_size=32)
    out["floor"] = floor(x, 0.0, 1.0)
    return out


def run():
    eight = range(8)
    standardised = {
        "standardised_targets_sigmoid_output": over_seeds(lambda s: standardised_fit(s, "sigmoid"), eight),
        "standardised_targets_linear_output": over_seeds(lambda s: standardised_fit(s, "linear"), eight),
    }
    example = over_seeds(lambda s: train(model("sigmoid"), X_train, X_train, epochs=100, batch_size=32, validation_data=(X_val, X_val)), eight)
    # The fix: scale into the output's range, fitting the scaler on the training data only.
    lo, hi = X_train.min(0), X_train.max(0)
    scale = lambda a: ((a - lo) / (hi - lo)).astype("float32")
    fixed = over_seeds(lambda s: train(model("sigmoid"), scale(X_train), scale(X_train), epochs=100, batch_size=32, validation_data=(scale(X_val), scale(X_val))), eight)
    return report(
        "NAN201",
        {"example_seed1": example, "fixed_minmax_scaled": fixed, **standardised},
        loss_floor_train=floor(X_train),
        loss_floor_val=floor(X_val),
        target_variance_train=float(np.mean(X_train.var(0))),
    )


if __name__ == "__main__":
    main(run)
