# The fix of the Cross Validated question "Convolutional neural network fails even when given
# answer" (https://stats.stackexchange.com/questions/481881), the answer's: a sigmoid output under
# binary cross-entropy for the single 0/1 label.
import numpy as np
from keras.models import Sequential
from keras.layers import Conv2D, Flatten, Dense


def CNN(train_X, train_y, test_X, test_y):

    model = Sequential([
        Conv2D(30, kernel_size=3, activation="relu", input_shape=(99, 25, 2)),
        Conv2D(64, kernel_size=3, activation="relu"),
        Flatten(),
        Dense(1, activation='sigmoid')
    ])

    # Compile the model.
    model.compile(
        'adam',
        loss='binary_crossentropy',
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
