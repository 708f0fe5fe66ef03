"""`make load`, `make faults`, `make load-smoke`: the production stack under load and faults."""
