"""CountyLens analytics: documents -> clean text -> units and passages -> tokens -> feature tables.

Each stage is a module of plain functions over pandas tables; `build.py` alone knows their order.
"""
