from ..risks.conftest import catalogue, register  # noqa: F401  (the demo register: risks with dates)
