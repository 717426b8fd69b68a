"""The demo community generator: a deterministic year of a developer community, written in
the platforms' real export formats (GH Archive hour files, a Slack workspace export) with a
ground-truth file of the facts the analytics must recover.

    from ingest.simulate import simulate, SimulationConfig
    truth = simulate(SimulationConfig(seed=7, people=300, weeks=52), Path("demo"))
"""

from ingest.simulate.config import SimulationConfig
from ingest.simulate.run import TRUTH_FILE, simulate

__all__ = ["TRUTH_FILE", "SimulationConfig", "simulate"]
