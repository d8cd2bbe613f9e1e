"""Coverage analysis: service areas, covered and cross-covered areas per county, demand, gaps."""
