# The re-creation of PacktPublishing/What-s-New-in-TensorFlow-2.0 issue 1, "Ch2 end-to-end example does
# not improve in accuracy" (https://github.com/PacktPublishing/What-s-New-in-TensorFlow-2.0/issues/1):
# the book's Chapter02/end_to_end_sequential.py, an MLP on MNIST fed the raw 0-255 pixels; "the
# accuracy remains at approximately 11% and does not improve", and "for accuracy to improve the
# values in x_train and x_test need to be divided by 255" (the reporter, who also opened tensorflow
# issue 32899 on it), fixed as the reporter's pull request 2 does: the pixels divided by 255.
import tensorflow as tf
import tensorflow.keras as keras

# Load Data
(x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()


# Convert data from numpy arrays to tensors
x_train = tf.convert_to_tensor(
    x_train / 255,
    dtype='float'
)

y_train = tf.one_hot(
    y_train,
    depth=10
)


x_test = tf.convert_to_tensor(
    x_test / 255,
    dtype='float'
)
y_test = tf.one_hot(
    y_test,
    depth=10
)


# Build neural network for classification
model = keras.Sequential()


model.add(
    keras.layers.Flatten()
)

model.add(
    keras.layers.Dense(100,
                       activation='relu',
                       )
)
model.add(
    keras.layers.Dense(100,
                       activation='relu'
                       )
)
model.add(
    keras.layers.Dense(10,
                       activation='softmax')
)

# Compile model
model.compile(loss=keras.losses.categorical_crossentropy,
              optimizer=keras.optimizers.SGD(learning_rate=0.0005),
              metrics=['accuracy'])

# Train model
model.fit(x_train,
          y_train,
          batch_size=32,
          steps_per_epoch=5,
          epochs=10)


# Run evaluation
score = model.evaluate(x_test,
                       y_test
                       )
print('Test loss:', score[0])
print('Test accuracy:', score[1])
