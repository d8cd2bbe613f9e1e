"""Walking along streets (`--network`): an OpenStreetMap extract read into a graph, and the reach along it."""

# A reached street is drawn and measured as a band this wide on each side (metres): a walker on the street
# serves, and is served by, the doorways and pavements along it. Here, free of imports, for the page too.
BAND_M = 50.0
