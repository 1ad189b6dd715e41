# Stand-in for the reporter's event data (the issue does not share it):
# 400 sequences of 50 steps, 3 features each; the target at every step is
# (time to the next event, 1 if that event is observed / 0 if censored),
# as wtte-rnn expects (here every next event lies inside the window, so u = 1).
# Events come in bursts (many gaps of 0 or 1 step)
# between long quiet spells, a very dispersed time-to-event.
import numpy as np

rng = np.random.default_rng(39)
n_seq, n_steps, n_feat = 400, 50, 3
x = np.zeros((n_seq, n_steps, n_feat), dtype="float32")
y = np.zeros((n_seq, n_steps, 2), dtype="float32")
for s in range(n_seq):
    events = np.zeros(n_steps + 400, dtype=bool)
    t = 0
    while t < len(events):
        if rng.random() < 0.5:
            t += rng.integers(0, 2)          # burst: next event 0-1 steps on
        else:
            t += rng.integers(100, 400)      # long quiet spell
        if t < len(events):
            events[t] = True
    for i in range(n_steps):
        nxt = np.nonzero(events[i:])[0]
        if len(nxt):
            y[s, i] = (nxt[0], 1.0)
        else:
            y[s, i] = (len(events) - i, 0.0)
        x[s, i] = (float(events[i]), float(events[max(i - 1, 0)]), rng.normal())
np.savez("tte.npz", x=x, y=y)
print(x.shape, y.shape, y[..., 0].min(), y[..., 0].max(), y[..., 1].mean())
