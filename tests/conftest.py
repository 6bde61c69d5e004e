import sys
from pathlib import Path

from hypothesis import settings

sys.path.insert(0, str(Path(__file__).parent))  # tests import the oracle as a plain module

# Property tests: each bounds its examples (max_examples in its @settings). None has a deadline:
# `make test` runs two test processes on a machine that may be busy, so an example's time says
# nothing about the code.
settings.register_profile("recon", deadline=None)
settings.load_profile("recon")
