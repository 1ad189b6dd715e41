# Re-creation of Stack Overflow question 52800582, "Why do I fail to predict y=x**4 with keras?
# (y=x**3 works)" (read through the mirrors https://qa.1r1g.com/sf/ask/3696040771 and
# http://stackoverflow.com.mevn.net/questions/52800582/why-do-i-fail-to-predict-y-x4-with-keras-y-x3-works):
# "I managed to predict y=x**2 and y=x**3, but equations like y=x**4, y=x**5, y=x**7 only
# converge to inaccurate lines". The poster's code, complete in the question: x from -100 to 100
# in steps of 0.5, y = x**4, Dense(50) + sigmoid, Dense(50) + elu, Dense(1), mse, adam, full-batch
# fits of 1000 epochs repeated 100 times. The answer: the inputs (-100 to 100) saturate the
# sigmoid and the targets (up to 1e8) are far beyond what the network's initial outputs can reach.
# Adapted only where Python 3 refuses the old code: time.perf_counter for the removed time.clock,
# and the removed plt.hold calls left out (the plots are otherwise kept).
import numpy as np
from keras.layers import Dense, Activation
from keras.models import Sequential
import matplotlib.pyplot as plt
import math
import time

x = np.arange(-100, 100, 0.5)
y = x**4

model = Sequential()
model.add(Dense(50, input_shape=(1,)))
model.add(Activation('sigmoid'))
model.add(Dense(50) )
model.add(Activation('elu'))
model.add(Dense(1))
model.compile(loss='mse', optimizer='adam')

t1 = time.perf_counter()
for i in range(100):
    model.fit(x, y, epochs=1000, batch_size=len(x), verbose=0)
    predictions = model.predict(x)
    print (i," ", np.mean(np.square(predictions - y))," t: ", time.perf_counter()-t1)

    plt.plot(x, y, 'b', x, predictions, 'r--')
    plt.ylabel('Y / Predicted Value')
    plt.xlabel('X Value')
    plt.title([str(i)," Loss: ",np.mean(np.square(predictions - y))," t: ", str(time.perf_counter()-t1)])
    plt.pause(0.001)

#plt.savefig("fig2.png")
plt.show()
