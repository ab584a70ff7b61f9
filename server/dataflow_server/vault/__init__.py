"""Encryption of secrets at rest: the key (keys.py) and the AEAD (cipher.py)."""
