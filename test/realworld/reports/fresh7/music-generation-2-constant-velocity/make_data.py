# Writes notes.csv beside the script: the note_on events of channel 0 of a piano cover, as the
# notebook's loop over the MIDI file collects them (note number, velocity). The piano cover's
# note_on messages all carry the same velocity, which is what the issue is about. A stand-in for
# the MIDI file (mido is not needed to read it back): a seeded walk over piano notes.
import numpy as np

rng = np.random.default_rng(20261210)
steps = rng.integers(-4, 5, size=1500)
notes = np.clip(60 + np.cumsum(steps), 36, 96)
velocities = np.full_like(notes, 100)
np.savetxt("notes.csv", np.stack([notes, velocities], axis=1), fmt="%d", delimiter=",",
           header="note,velocity", comments="")
