"""The simulation's chance, from the seed alone.

Every decision draws from its own stream, named after what it decides ("order 3 of
Bottrop on 1 December", "the drop of leg 812"): adding or dropping one decision leaves the
others as they were, so the same seed on the same database places the same orders, and
whether a door opens does not depend on the order in which the planner sent the riders.
"""

import random
from datetime import timedelta


class Dice:
    def __init__(self, seed: int) -> None:
        self.seed = seed

    def rng(self, *name: object) -> random.Random:
        """The stream for one decision (a string seed is hashed the same way on every run)."""
        return random.Random(":".join(str(part) for part in (self.seed, *name)))

    def chance(self, probability: float, *name: object) -> bool:
        return self.rng(*name).random() < probability

    def minutes(self, low: float, high: float, *name: object) -> timedelta:
        """A delay between `low` and `high` minutes, to the second."""
        return timedelta(seconds=round(self.rng(*name).uniform(low, high) * 60))
