# The re-creation of the Data Science Stack Exchange question "Why normalize when all features are on the
# same scale?" (https://datascience.stackexchange.com/questions/39929): TensorFlow's basic
# classification tutorial (Fashion-MNIST, a Flatten, a 128-unit relu layer and a softmax) run
# without the tutorial's division of the pixels by 255; "with normalization ... over 85%, whereas
# no normalization, my accuracy falls to 10%". The comment's answer: "Normalization helps the NN to
# converge faster". The tutorial's code as of the question (2018), with its two normalizing lines
# (the fix), and tf.train.AdamOptimizer() (TensorFlow 1) as
# keras.optimizers.Adam() (Keras 3 takes no TensorFlow 1 optimizer).
# TensorFlow and tf.keras
import tensorflow as tf
from tensorflow import keras

# Helper libraries
import numpy as np
import matplotlib.pyplot as plt

fashion_mnist = keras.datasets.fashion_mnist

(train_images, train_labels), (test_images, test_labels) = fashion_mnist.load_data()

class_names = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat',
               'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot']

train_images = train_images / 255.0

test_images = test_images / 255.0

model = keras.Sequential([
    keras.layers.Flatten(input_shape=(28, 28)),
    keras.layers.Dense(128, activation=tf.nn.relu),
    keras.layers.Dense(10, activation=tf.nn.softmax)
])

model.compile(optimizer=keras.optimizers.Adam(),
              loss='sparse_categorical_crossentropy',
              metrics=['accuracy'])

model.fit(train_images, train_labels, epochs=5)

test_loss, test_acc = model.evaluate(test_images, test_labels)

print('Test accuracy:', test_acc)
