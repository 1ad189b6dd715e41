# Re-creation of Stack Overflow question 48951109, "Keras Custom Binary Cross Entropy Loss Function.
# Get NaN as output for loss" (read through the mirror https://thinbug.com/q/48951109):
#     def my_custom_loss(y_true,y_pred):
#         t_loss = (-1)*(y_true * K.log(y_pred) + (1 - y_true) * K.log(1 - y_pred))
#         return K.mean(t_loss)
# "When I run my script using this loss function, after few iterations, I get NaN as output for
# loss function"; "I have sigmoid function as activation for my last layer. So the value of 'p'
# should be between 0 and 1." The answer: a naive binary cross-entropy meets log(0) once the
# sigmoid output reaches exactly 0 or 1 in floating point. The question shows only the loss; the
# model and data are ours: a small dense binary classifier with a sigmoid output, adam, on
# 4,000 rows of 20 features from sklearn's make_classification (well separated classes, as the
# classifier can then push its outputs to 0 and 1), 20 epochs of 32.
# Keras 3 names: keras.ops for the backend functions.
import numpy as np
from sklearn.datasets import make_classification
from keras.models import Sequential
from keras.layers import Dense, Input
from keras import ops as K


def my_custom_loss(y_true,y_pred):
    t_loss = (-1)*(y_true * K.log(y_pred) + (1 - y_true) * K.log(1 - y_pred))
    return K.mean(t_loss)


X, y = make_classification(n_samples=4000, n_features=20, n_informative=10, class_sep=3.0,
                           random_state=48951109)
y = y.astype('float32').reshape(-1, 1)

model = Sequential()
model.add(Input(shape=(20,)))
model.add(Dense(64, activation='relu'))
model.add(Dense(64, activation='relu'))
model.add(Dense(1, activation='sigmoid'))
model.compile(optimizer='adam', loss=my_custom_loss, metrics=['accuracy'])
model.fit(X, y, epochs=20, batch_size=32, validation_split=0.1)
