# Re-creation of the Stack Overflow question "Why do I need a very high learning rate for this model
# to converge?" (https://stackoverflow.com/questions/73462535): a sigmoid MLP with a softmax output,
# trained with mean squared error on the first 1000 MNIST images. "When I use a learning rate of
# around 0.001 the loss changes incredibly slowly"; the poster only sees it converge with SGD at a
# rate above 1 (the question's code uses 5). This file uses the rate the poster calls slow, 0.001.
# The poster's code; the reshape takes len(x_train) rows where the poster wrote 60000 (the number of
# MNIST training images), so that it runs on any number of rows.
import tensorflow as tf

mnist = tf.keras.datasets.mnist
(x_train, y_train), (x_test, y_test) = mnist.load_data()
x_train = x_train.astype("float32") / 255.0

x_train = x_train.reshape(len(x_train),28,28)[:1000];
y_train = y_train[:1000];

y_train = tf.one_hot(y_train, 10)

def gen_model():
    return tf.keras.models.Sequential([
        tf.keras.Input(shape=(28,28,)),
        tf.keras.layers.Flatten(),
        tf.keras.layers.Dense(128, activation='sigmoid'),
        tf.keras.layers.Dense(10, activation='softmax')
    ])

model = gen_model()
model.compile(optimizer=tf.keras.optimizers.SGD(learning_rate=0.001), loss='mean_squared_error')
model.summary()
model.fit(x_train, y_train, batch_size=1000, epochs=10000)
