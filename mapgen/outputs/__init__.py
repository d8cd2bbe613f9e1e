"""Writing the outputs: CSV and GeoJSON, the atomic output set, the manifest, terminal reports."""
