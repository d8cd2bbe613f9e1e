"""mapgen: service maps and coverage reports for outdoor workers' rest stations in Hunan."""

__version__ = "0.1.0"
