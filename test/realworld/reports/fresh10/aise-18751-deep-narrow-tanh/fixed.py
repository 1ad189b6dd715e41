# The re-creation of the AI Stack Exchange question "Why MLP cannot approximate a closed shape function?"
# (https://ai.stackexchange.com/questions/18751): two classes of 200 points each, a unit disc and a
# ring of radius 2 to 3, fitted by an MLP of 15 hidden tanh layers of 2 units each and a softmax
# output; "The MLP never reached 100% accuracy ... If I use 3 neurons at each hidden layer, the MLP
# succeeds quite fast". The answer: with so few neurons a layer the network's decision surfaces are
# confined to a few shapes. Fixed with the poster's own contrast, 3 units a layer. The poster's
# code; the question gives no fit call, so the labels are one-hot encoded and the model fitted for
# 100 epochs here, and the points are drawn with a fixed seed.
import numpy as np
from keras.models import Model
from keras.layers import Input, Dense
from keras.utils import to_categorical

np.random.seed(18751)

size_ = 200
classA_r = np.random.uniform(low = 0, high = 1, size = size_)
classA_theta = np.random.uniform(low = 0, high = 2*np.pi, size = size_)
classA_x = classA_r * np.cos(classA_theta)
classA_y = classA_r * np.sin(classA_theta)

classB_r = np.random.uniform(low = 2, high = 3, size = size_)
classB_theta = np.random.uniform(low = 0, high = 2*np.pi, size = size_)
classB_x = classB_r * np.cos(classB_theta)
classB_y = classB_r * np.sin(classB_theta)

X = np.concatenate([np.stack([classA_x, classA_y], axis=1), np.stack([classB_x, classB_y], axis=1)])
Y = to_categorical(np.concatenate([np.zeros(size_), np.ones(size_)]), 2)

hidden_layers = 15
inputs = Input(shape=(2,))
dnn = inputs
for l_no in range(hidden_layers):
    dnn = Dense(3, activation='tanh', name = "layer_{}".format(l_no))(dnn)
outputs = Dense(2, activation='softmax', name = "layer_out")(dnn)

model = Model(inputs=inputs, outputs=outputs)
model.compile(optimizer='adam', loss='categorical_crossentropy', metrics=['accuracy'])
model.fit(X, Y, epochs=100, batch_size=32, shuffle=True, verbose=0)
