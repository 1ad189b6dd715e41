# Re-creation of keras-team/keras issue 5733, "Custom loss always returns NaN and I don't see why"
# (https://github.com/keras-team/keras/issues/5733). A naive actor-critic: the actor returns a
# 1x2 row of action probabilities, e.g. [0.717, 0.283]; the target "baseline" is a row of zeros
# except at the action taken, e.g. [0.0, 1.171]; "in numpy my loss is calculated as
# loss = -np.sum(np.log(policy)*baseline) and I get 1.4795". The poster's loss and training call:
#     def policyLoss(self, y_pred, y_true):
#         loss = K.dot(K.log(y_pred),K.transpose(y_true))
#         return -loss
#     ActorLoss = actor.train_on_batch(state.reshape(batch_shape), baseline)
# "I train on a batch of exactly 1 every time ... but ActorLoss always returns NaN". Keras calls a
# loss as loss(y_true, y_pred), so inside policyLoss "y_pred" is the baseline, whose zeros go
# into the log. The question shows only the loss and the call; the actor, the environment and
# the critic are ours: a small dense softmax policy over 2 actions on 4 state features
# (a CartPole-sized problem), adam, states drawn at random and the baseline one advantage at the
# action taken. train_on_batch on the one-row batch is written as fit on that same one-row batch
# (batch_size=1, one epoch), so the run records it.
# Keras 3 names: keras.ops for the backend functions.
import numpy as np
from keras.models import Sequential
from keras.layers import Dense, Input
from keras.optimizers import Adam
from keras import ops as K

state_size = 4
action_size = 2
batch_shape = (1, state_size)


class Agent:
    def __init__(self):
        self.actor = self.build_actor()

    def policyLoss(self, y_pred, y_true):
        loss = K.dot(K.log(y_pred),K.transpose(y_true))
        return -loss

    def build_actor(self):
        actor = Sequential()
        actor.add(Input(shape=(state_size,)))
        actor.add(Dense(24, activation='relu'))
        actor.add(Dense(action_size, activation='softmax'))
        actor.compile(loss=self.policyLoss, optimizer=Adam(learning_rate=0.001))
        return actor


agent = Agent()
actor = agent.actor
rng = np.random.default_rng(5733)
for step in range(20):
    state = rng.normal(size=state_size).astype('float32')
    policy = actor.predict(state.reshape(batch_shape), verbose=0)
    action = rng.choice(action_size, p=policy[0] / policy[0].sum())
    advantage = rng.normal(1.0, 0.5)
    baseline = np.zeros((1, action_size), dtype='float32')
    baseline[0, action] = advantage
    actor.fit(state.reshape(batch_shape), baseline, batch_size=1, epochs=1, verbose=0)
