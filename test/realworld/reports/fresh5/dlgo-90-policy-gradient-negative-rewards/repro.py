# Re-creation of maxpumperla/deep_learning_and_the_game_of_go issue 90, "cross-entropy loss with
# negative reward/advantage resulting in nan values"
# (https://github.com/maxpumperla/deep_learning_and_the_game_of_go/issues/90): with the book's
# policy-gradient agent (chapter 10; the actor-critic of chapter 12 does the same), "after some
# steps the loss becomes negative, more negative, extremely negative and then nan". The poster's
# reading: the targets are +1 for a won game's moves and -1 for a lost game's, the loss is
# categorical cross-entropy, and when a punished move's probability gets very small its log times
# the negative label is hugely negative. The code is the book's, from the repository: the network
# of init_agent.py (dlgo.networks.leaky on the 11-plane 'simple' encoder, a softmax over the
# board points, built here for a 9x9 board with the script's --board-size option),
# PolicyAgent.train (SGD with clipnorm=1.0, categorical_crossentropy, a one-hot target row
# holding the game's reward at the move played, one epoch a call) and train_pg.py's loop over
# experience files with its defaults (lr=0.0001, batch size 512). The experience comes from
# self-play in the book; here a stand-in fills the same arrays: encoded boards with random
# stones, random moves, and a reward of +1 or -1 for each game's moves.
# Keras 3 names: keras.layers for the layer modules, an Input layer for input_shape,
# learning_rate for lr.
import numpy as np
from keras.layers import Activation, Dense, Flatten, Input, LeakyReLU, Conv2D, ZeroPadding2D
from keras.models import Sequential
from keras.optimizers import SGD


def layers(input_shape):
    return [
        Input(shape=input_shape),
        ZeroPadding2D((3, 3), data_format='channels_first'),
        Conv2D(64, (7, 7), padding='valid', data_format='channels_first'),
        LeakyReLU(),

        ZeroPadding2D((2, 2), data_format='channels_first'),
        Conv2D(64, (5, 5), data_format='channels_first'),
        LeakyReLU(),

        ZeroPadding2D((2, 2), data_format='channels_first'),
        Conv2D(64, (5, 5), data_format='channels_first'),
        LeakyReLU(),

        ZeroPadding2D((2, 2), data_format='channels_first'),
        Conv2D(48, (5, 5), data_format='channels_first'),
        LeakyReLU(),

        ZeroPadding2D((2, 2), data_format='channels_first'),
        Conv2D(48, (5, 5), data_format='channels_first'),
        LeakyReLU(),

        ZeroPadding2D((2, 2), data_format='channels_first'),
        Conv2D(32, (5, 5), data_format='channels_first'),
        LeakyReLU(),

        ZeroPadding2D((2, 2), data_format='channels_first'),
        Conv2D(32, (5, 5), data_format='channels_first'),
        LeakyReLU(),

        Flatten(),
        Dense(1024),
        LeakyReLU(),
    ]


class ExperienceBuffer:
    def __init__(self, states, actions, rewards, advantages):
        self.states = states
        self.actions = actions
        self.rewards = rewards
        self.advantages = advantages


class PolicyAgent:
    def __init__(self, model, board_size):
        self._model = model
        self.board_width = self.board_height = board_size

    def train(self, experience, lr=0.0000001, clipnorm=1.0, batch_size=512):
        opt = SGD(learning_rate=lr, clipnorm=clipnorm)
        self._model.compile(loss='categorical_crossentropy', optimizer=opt)

        n = experience.states.shape[0]
        # Translate the actions/rewards.
        num_moves = self.board_width * self.board_height
        y = np.zeros((n, num_moves))
        for i in range(n):
            action = experience.actions[i]
            reward = experience.rewards[i]
            y[i][action] = reward

        self._model.fit(
            experience.states, y,
            batch_size=batch_size,
            epochs=1)


board_size = 9
num_planes = 11
model = Sequential()
for layer in layers((num_planes, board_size, board_size)):
    model.add(layer)
model.add(Dense(board_size * board_size))
model.add(Activation('softmax'))
opt = SGD(learning_rate=0.02)
model.compile(loss='categorical_crossentropy', optimizer=opt)
learning_agent = PolicyAgent(model, board_size)


def self_play_stand_in(rng, num_games, moves_per_game=32):
    states, actions, rewards = [], [], []
    for game in range(num_games):
        winner = rng.integers(2)
        for move in range(moves_per_game):
            board = np.zeros((num_planes, board_size, board_size))
            player = move % 2
            board[8 + player] = 1
            for stone in range(move):
                r, c = rng.integers(board_size, size=2)
                board[4 * (stone % 2) + rng.integers(4), r, c] = 1
            states.append(board)
            actions.append(rng.integers(board_size * board_size))
            rewards.append(1 if player == winner else -1)
    n = len(states)
    return ExperienceBuffer(np.array(states), np.array(actions), np.array(rewards), np.zeros(n))


rng = np.random.default_rng(90)
lr = 0.0001
bs = 512
for exp_filename in ['exp_0001.hdf5', 'exp_0002.hdf5', 'exp_0003.hdf5', 'exp_0004.hdf5']:
    print('Training with %s...' % exp_filename)
    exp_buffer = self_play_stand_in(rng, num_games=32)
    learning_agent.train(exp_buffer, lr=lr, batch_size=bs)
