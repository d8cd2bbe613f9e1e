"""Reading the inputs: station, office and demand files, the Excel template and the sample."""
