"""NAN208 pixels-not-scaled: a convolutional autoencoder on 28x28 uint8 images (0-255) with a sigmoid output and
binary cross-entropy, against the same images divided by 255. Every case over 8 seeds."""
from _common import keras, main, np, over_seeds, report, train


def digits(seed, n=512):
    rng = np.random.default_rng(seed)
    img = np.zeros((n, 28, 28, 1), dtype="float32")
    for i in range(n):
        r0, c0 = rng.integers(2, 14, 2)
        img[i, r0:r0 + 12, c0:c0 + 3, 0] = 1.0
        img[i, r0:r0 + 3, c0:c0 + 12, 0] = 1.0
    return np.round(img * rng.uniform(180, 255, (n, 1, 1, 1))).astype("uint8")


def conv_ae(loss):
    from keras import layers
    inputs = keras.Input(shape=(28, 28, 1))
    x = layers.Conv2D(16, 3, activation="relu", padding="same")(inputs)
    x = layers.MaxPooling2D(2, padding="same")(x)
    x = layers.Conv2D(8, 3, activation="relu", padding="same")(x)
    x = layers.MaxPooling2D(2, padding="same")(x)
    x = layers.Conv2D(8, 3, activation="relu", padding="same")(x)
    x = layers.UpSampling2D(2)(x)
    x = layers.Conv2D(16, 3, activation="relu", padding="same")(x)
    x = layers.UpSampling2D(2)(x)
    outputs = layers.Conv2D(1, 3, activation="sigmoid", padding="same")(x)
    model = keras.Model(inputs, outputs)
    model.compile(optimizer="adam", loss=loss)
    return model


def fit(seed, divide, loss="binary_crossentropy"):
    x = digits(seed).astype("float32")
    if divide:
        x = x / 255.0
    model = conv_ae(loss)
    out = train(model, x, x, epochs=3, batch_size=32)
    recon = model.predict(x[:128], verbose=0)
    out["mse_after_scaled"] = float(np.mean((recon - x[:128] / (1.0 if divide else 255.0)) ** 2))
    return out


def run():
    seeds = range(8)
    return report("NAN208", {
        "example_0_255_sigmoid_bce": over_seeds(lambda s: fit(s, False), seeds),
        "example_0_255_sigmoid_mse": over_seeds(lambda s: fit(s, False, "mse"), seeds),
        "fixed_divided_by_255_bce": over_seeds(lambda s: fit(s, True), seeds),
    })


if __name__ == "__main__":
    main(run)
