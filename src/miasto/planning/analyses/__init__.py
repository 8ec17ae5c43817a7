"""Planning analyses (coverage, capacity and housing balance, conflicts), set-based in PostGIS."""
