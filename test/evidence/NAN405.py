"""NAN405 nan-masked-loss: a custom loss that replaces a NaN loss by 0 (`where(isnan(loss), 0, loss)`), on the
setup that goes NaN in the first epoch (8 features uniform in [0, 1000], Dense 16-4-16-8 relu with a linear
output, SGD at 0.01, MSE), against the plain MSE. Records what the mask hides: the weights and the predictions."""
from _common import _num, dense_autoencoder, keras, main, np, over_seeds, report, train


def masked_mse(y_true, y_pred):
    from keras import ops

    loss = ops.mean(ops.square(y_true - y_pred), axis=-1)
    return ops.where(ops.isnan(loss), ops.zeros_like(loss), loss)


def fit(seed, loss):
    x = np.random.default_rng(seed).uniform(0, 1000, (512, 8)).astype("float32")
    model = dense_autoencoder(8, [16, 4, 16, 8], ["relu", "relu", "relu", "linear"], keras.optimizers.SGD(learning_rate=0.01), loss=loss)
    outcome = train(model, x, x, epochs=5, batch_size=32)
    weights = np.concatenate([w.ravel() for w in model.get_weights()])
    outcome["weights_finite"] = bool(np.all(np.isfinite(weights)))
    prediction = model.predict(x[:64], verbose=0)
    outcome["predictions_nan_fraction"] = _num(float(np.mean(~np.isfinite(prediction))))
    return outcome


def run():
    seeds = range(8)
    return report("NAN405", {
        "example_masked_loss": over_seeds(lambda s: fit(s, masked_mse), seeds),
        "plain_mse": over_seeds(lambda s: fit(s, "mse"), seeds),
    })


if __name__ == "__main__":
    main(run)
