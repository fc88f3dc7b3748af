"""The bench data generator's parts; bench/generate.py is the command."""
