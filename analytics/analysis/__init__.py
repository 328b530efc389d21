"""Corpus tables -> answers: similarity, distinctive terms, network, KWIC."""
