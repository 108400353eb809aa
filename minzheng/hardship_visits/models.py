"""特殊困难老年人探访关爱: the records (issues 15 and 16)."""
