"""The corpus: table registry, the engine that runs the stages, the store that keeps them."""
