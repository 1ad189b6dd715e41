# Re-creation of the Cross Validated question "Convolutional neural network fails even when given
# answer" (https://stats.stackexchange.com/questions/481881): a CNN that gave "the prediction as true
# for everything regardless of input", simplified so that the label itself is in the input ("The
# output boolean is in the input in the 3rd dimension"), still cannot predict it: two relu Conv2D
# layers, Flatten and Dense(1, activation='softmax'), compiled with 'adam' and
# categorical_crossentropy, one epoch; the answer: a softmax over a single unit always outputs 1
# (e^x / e^x), so the network cannot learn; use a sigmoid and binary cross-entropy. The re-creation
# is the question's CNN function and a call of it; given_answer.npz (make_data.py) holds stand-in
# inputs of the model's shape (99, 25, 2) with the label repeated in the second channel, as the
# question describes its own, whose sample is not kept.
import numpy as np
from keras.models import Sequential
from keras.layers import Conv2D, Flatten, Dense


def CNN(train_X, train_y, test_X, test_y):

    model = Sequential([
        Conv2D(30, kernel_size=3, activation="relu", input_shape=(99, 25, 2)),
        Conv2D(64, kernel_size=3, activation="relu"),
        Flatten(),
        Dense(1, activation='softmax')
    ])

    # Compile the model.
    model.compile(
        'adam',
        loss='categorical_crossentropy',
        metrics=['accuracy'],
    )

    # Train the model.
    model.fit(
        train_X,
        train_y,
        epochs=1
    )
    preds = np.round(model.predict(test_X), 0)

    return preds


data = np.load('given_answer.npz')
preds = CNN(data['train_X'], data['train_y'], data['test_X'], data['test_y'])
print('predictions equal to 1:', int((preds == 1).sum()), 'of', len(preds))
