# Re-creation of Stack Overflow question 58887284, "Why is the neural network not learning the
# curve?" (read on a mirror: https://codewithsundeep.com/discussion/solution/58887284): one
# neuron with a sigmoid, trained with Adam(0.01) and mse on 111 points of
# f(x) = -1/(exp(10x) + 1), "But it does not learn the curve." The accepted answer: "The sigmoid
# activation function can only output values between 0 and 1. Since all the values of f(x) are
# negative, the function cannot be learned." The question's fit call is not shown; the
# re-creation fits the training points for 100 epochs with the test points as validation.
import numpy as np
import tensorflow as tf

#target function
f = lambda x:  - 1./(np.exp(10.*x)+1.)

#creat training data
x_train = np.linspace(-1, 1, 111)
y_train = f(x_train)

#test data
x_test = np.linspace(-1, 1, 11)
y_test = f(x_test)

model = tf.keras.models.Sequential([
  tf.keras.layers.Dense(1, activation='sigmoid', input_shape=(1,), use_bias=True)
])

model.compile(optimizer=tf.keras.optimizers.Adam(0.01),
              loss='mse',
              metrics=['MeanAbsoluteError'])

model.fit(x_train, y_train, epochs=100, validation_data=(x_test, y_test))
