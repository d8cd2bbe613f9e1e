"""Geography and datums: WGS-84 / GCJ-02 / BD-09, the metric projection, Hunan's bundled counties."""
