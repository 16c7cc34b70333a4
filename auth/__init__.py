"""Logging in: the staff login pages and the wrong-password throttle shared with the portal."""
