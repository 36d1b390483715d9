"""The Dashboard tab: charts of the community over a chosen range, and their export."""
