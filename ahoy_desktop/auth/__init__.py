"""Signing in to X: OAuth 2.0 with PKCE, tokens in the OS keychain, refresh and revocation."""
