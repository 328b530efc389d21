"""Passages -> feature tables: quantities, figures, industries, assets, themes, key figures."""
