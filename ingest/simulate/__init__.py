"""The demo community generator: a deterministic year of a developer community, written in
the platforms' real export formats with a ground-truth file of the facts the analytics must
recover. GH Archive hour files and a Slack workspace export are always written; Discord
(DiscordChatExporter JSON, HTML, CSV), Discourse API JSON, a git repository and GitHub REST
dumps are opt-in (`exports=ALL_EXPORTS`), with their own truth keys.

    from ingest.simulate import simulate, SimulationConfig, ALL_EXPORTS
    truth = simulate(SimulationConfig(seed=7, people=300, weeks=52, exports=ALL_EXPORTS), Path("demo"))
"""

from ingest.simulate.config import ALL_EXPORTS, SimulationConfig
from ingest.simulate.run import TRUTH_FILE, simulate

__all__ = ["ALL_EXPORTS", "TRUTH_FILE", "SimulationConfig", "simulate"]
