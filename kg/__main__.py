"""python -m kg: the plankg command."""

import gc

# A build makes a few million objects that live to its end (a plan's model, graphs, jieba's
# dictionary) and little cyclic garbage: at the default threshold (700) the collector ran
# ~760 times over them, 0.6 s of a cold build; at 50,000, 9 times and 0.2 s. Workers of a
# corpus build fork from this process and keep it.
gc.set_threshold(50_000, 20, 10)

from kg.shells.cli import run  # noqa: E402  (after the threshold: importing makes objects too)

try:
    run()
finally:
    # The process ends here and its memory with it: the collector need not walk a plan's
    # graphs and jieba's dictionary (half a million objects) first, 0.4-0.7 s of a cold build.
    gc.freeze()
