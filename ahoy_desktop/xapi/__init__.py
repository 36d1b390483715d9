"""Talking to the X API v2 (or the sandbox, which speaks the same)."""
