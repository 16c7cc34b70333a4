"""The rules of ISPdesk, as plain functions over values and the database session.

No request, form or template here: the admin form, bulk changes, revert, the portal and the
CLI all call the same functions, and tests call them without HTTP.
"""
