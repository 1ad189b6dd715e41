# Fixed re-creation of the question read at https://example-a.com/answer/77588498 ("Issue in simple neural
# network"): Dense(16, tanh), Dense(8, tanh), Dense(4, tanh) and Dense(1, tanh) fitted with MSE to
# synthesized data y = 10.0 * x; "tensorflow is giving me a loss of ~2000 to ~200000" (relu
# activations did not help either). A tanh output cannot go past 1 while the targets run to the
# hundreds. The answer: no hidden layers are needed, a Dense(1) with the default linear activation.
# The model function is the asker's; the data range (the answer's x = linspace(-20, 20, 1000)), the
# optimizer (Adam, not given) and the fit call are ours, and Keras 3 wants Input((1,)) where the
# asker wrote Input((1)).
import tensorflow as tf
from tensorflow.keras import layers, models


def PolynomialModel():
    # the fix (the answer): no hidden layers, one Dense(1) with the default linear activation, which
    # can reach the targets, trained with the answer's Adam(0.1)
    inp = layers.Input((1,))
    output=layers.Dense(1)(inp)  # activation='linear'
    return models.Model(inp,output)


x = tf.linspace(-20.0, 20.0, 1000)[:, None]
y = 10.0 * x

model = PolynomialModel()
model.compile(loss='mean_squared_error', optimizer=tf.keras.optimizers.Adam(0.1))
model.fit(x, y, epochs=200)
