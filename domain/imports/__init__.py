"""Importing contacts from CSV and XLSX files: reading, column mapping, the dry run and the commit."""
