"""Members in and out of files: CSV import, CSV and Excel export.

Import runs in stages so nothing is written before the user has seen what
will be: ``csv_read`` (bytes to cells), ``import_plan`` (cells to checked
member values, with a report of the rows that cannot go in) and
``import_write`` (the good rows, or none, in one transaction). Export takes
headers and rows of plain Python values, from any view of the members.
"""
