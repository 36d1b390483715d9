"""The dashboard's numbers: periods cut into local buckets, and the queries that fill them."""
