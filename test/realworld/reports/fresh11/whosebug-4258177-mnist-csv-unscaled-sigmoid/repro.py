# Re-creation of the Stack Overflow question "tf.keras loss becomes NaN", read on a mirror
# (https://whosebug.com/question/4258177/tf-keras-loss-becomes-NaN): a three-layer tf.keras network
# on MNIST read from CSV with pandas, the 0-255 pixels fed as they are, a linear Dense(784), a relu
# Dense(50) and a sigmoid Dense(10) under categorical_crossentropy with plain gradient descent at
# 0.0001; "one of three things happens: for a few epochs the loss decreases ... until the loss
# becomes NaN for no reason ...; the loss and accuracy stay the same every epoch (usually 2.3025 and
# 0.0986); the loss starts at NaN". The re-creation is the question's code; the Colab lines that
# clone the data repository are left out and the CSVs are read beside the script (make_data.py
# writes them: stand-in digits, not MNIST), the rows are sliced with integers (the string slice
# '1':'5000' on a RangeIndex is refused by current pandas), and tf.train.GradientDescentOptimizer
# (TensorFlow 1) is keras.optimizers.SGD at the same rate.
import tensorflow as tf
from tensorflow.keras import layers
import numpy as np
import pandas as pd

batch_size = 32
epochs = 10
alpha = 0.0001
lambda_ = 0
h1 = 50

train = pd.read_csv('mnist_train.csv.zip')
test = pd.read_csv('mnist_test.csv.zip')

train = train.loc[1:5000, :]
test = test.loc[1:2000, :]

train = train.sample(frac=1).reset_index(drop=True)
test = test.sample(frac=1).reset_index(drop=True)

x_train = train.loc[:, '1x1':'28x28']
y_train = train.loc[:, 'label']

x_test = test.loc[:, '1x1':'28x28']
y_test = test.loc[:, 'label']

x_train = x_train.values
y_train = y_train.values

x_test = x_test.values
y_test = y_test.values

nb_classes = 10
targets = y_train.reshape(-1)
y_train_onehot = np.eye(nb_classes)[targets]

nb_classes = 10
targets = y_test.reshape(-1)
y_test_onehot = np.eye(nb_classes)[targets]

model = tf.keras.Sequential()
model.add(layers.Dense(784, input_shape=(784,)))
model.add(layers.Dense(h1, activation='relu', kernel_regularizer=tf.keras.regularizers.l2(lambda_)))
model.add(layers.Dense(10, activation='sigmoid', kernel_regularizer=tf.keras.regularizers.l2(lambda_)))

model.compile(optimizer=tf.keras.optimizers.SGD(alpha),
             loss = 'categorical_crossentropy',
             metrics = ['accuracy'])

model.fit(x_train, y_train_onehot, epochs=epochs, batch_size=batch_size)
