"""Finding: sentences, numbers (digits and words), magnitudes, units and counted nouns →
figures; every other number is kept as an excluded span with its reason."""
