"""Annotated papers for measuring extraction quality: selection, build and the gold files."""
