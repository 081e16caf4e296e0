"""The merchant back office under /laden/: a shopkeeper's tablet between two customers."""
