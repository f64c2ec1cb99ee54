"""python -m kg: the plankg command."""

import gc

from kg.shells.cli import run

try:
    run()
finally:
    # The process ends here and its memory with it: the collector need not walk a plan's
    # graphs and jieba's dictionary (half a million objects) first, 0.4-0.7 s of a cold build.
    gc.freeze()
